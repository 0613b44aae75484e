import type { WarehouseAtp } from './available-to-sell';

/** Current ATP by SKU and warehouse; a SKU the WMS does not stock maps to an empty map. */
export interface AtpReader {
  read(skus: readonly string[]): Promise<Map<string, WarehouseAtp>>;
}

/**
 * The latest figures of one channel and SKU, per location, as the engine computed them. `seq`
 * grows with every new figure of the key, so an older one can never replace a newer one.
 */
export interface FigureRecord {
  channel: string;
  sku: string;
  seq: number;
  /** Location (a warehouse id or `*`) → quantity. */
  locations: Record<string, number>;
  /** The earliest ATP change these figures reflect that the channel has not acknowledged yet (for lag). */
  changedAt: Date;
  computedAt: Date;
}

/** What a channel acknowledged, per location: the quantity, the figure's seq, and when. */
export interface AckRecord {
  channel: string;
  sku: string;
  locations: Record<string, { quantity: number; seq: number; at: Date }>;
}

/** Where a full resync of a channel stands; survives a crash so the next start resumes it. */
export interface ResyncCheckpoint {
  channel: string;
  runId: string;
  /** Every SKU of the run, sorted; `next` indexes the first one not done yet. */
  skus: string[];
  next: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** `scheduled` or the operator who asked for it. */
  requestedBy: string;
}

/**
 * The durable part of the feeds (MongoDB): the latest figures and what each channel acknowledged,
 * kept as entries of an append-only log folded by sequence number (so order and duplicates do
 * not matter), and resync checkpoints.
 */
export interface PushStore {
  /** Appends figures (one write for the whole batch). */
  saveFigures(records: readonly FigureRecord[]): Promise<void>;
  /** Appends acknowledgements (one write for the whole batch). */
  saveAcks(records: readonly AckRecord[]): Promise<void>;
  /** The latest figure of every SKU of a channel and what the channel acknowledged (a scan; at start only). */
  loadChannel(channel: string): Promise<{ figures: FigureRecord[]; acks: AckRecord[] }>;
  /** Folds the log into as few entries as hold the latest state; answers how many entries it replaced. */
  compact(): Promise<number>;
  checkpoint(channel: string): Promise<ResyncCheckpoint | null>;
  saveCheckpoint(checkpoint: ResyncCheckpoint): Promise<void>;
  close(): Promise<void>;
}

/** One figure to send: the key, the quantity, and the figure's seq. */
export interface PushItem {
  sku: string;
  location: string;
  quantity: number;
  seq: number;
}

/** How the channel answered one item. */
export type PushOutcome =
  | { status: 'acknowledged' }
  /** Rate limited: nothing of the request was applied; wait this long. */
  | { status: 'throttled'; retryAfterMs: number }
  /** Down, timed out, 5xx: try again later. */
  | { status: 'unavailable'; reason: string }
  /** The channel refused this item (unknown item, bad value): an operator must look. */
  | { status: 'rejected'; reason: string; payload: string };

/** A channel's inventory API, as the pusher uses it. */
export interface ChannelConnector {
  /** Items per request (1 for a per-item API). */
  readonly maxBatch: number;
  /** Sends the items in one request; one outcome per item, in order. */
  push(items: readonly PushItem[]): Promise<PushOutcome[]>;
}
