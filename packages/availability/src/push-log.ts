import type { AckRecord, FigureRecord } from './ports';

/** The latest figure per channel and SKU, and per location the latest acknowledgement, by seq. */
export function foldPushLog(entries: readonly { figures: readonly FigureRecord[]; acks: readonly AckRecord[] }[]): { figures: Map<string, FigureRecord>; acks: Map<string, AckRecord> } {
  const figures = new Map<string, FigureRecord>();
  const acks = new Map<string, AckRecord>();
  for (const entry of entries) {
    for (const figure of entry.figures) {
      const key = `${figure.channel}|${figure.sku}`;
      const held = figures.get(key);
      if (!held || held.seq < figure.seq) figures.set(key, figure);
    }
    for (const ack of entry.acks) {
      const key = `${ack.channel}|${ack.sku}`;
      const held = acks.get(key) ?? { channel: ack.channel, sku: ack.sku, locations: {} };
      for (const [location, value] of Object.entries(ack.locations)) {
        const current = held.locations[location];
        if (!current || current.seq <= value.seq) held.locations[location] = value;
      }
      acks.set(key, held);
    }
  }
  return { figures, acks };
}
