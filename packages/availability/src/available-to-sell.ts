import type { ChannelRules } from './channel-rules';

/** Where a channel's figure applies: one warehouse (a store location) or the whole channel. */
export const WHOLE_CHANNEL = '*';

/** ATP of one SKU by warehouse id (on hand − reserved − pending − safety stock, never below 0). */
export type WarehouseAtp = ReadonlyMap<string, number>;

/** One figure a channel is told: what it may sell of a SKU at a location. */
export interface ChannelFigure {
  channel: string;
  sku: string;
  /** A warehouse id, or WHOLE_CHANNEL. */
  location: string;
  quantity: number;
}

/** The rules applied to an ATP quantity: share, buffer, cap, floor; never below 0. */
export function sellableOf(atp: number, rules: Pick<ChannelRules, 'sharePercent' | 'bufferUnits' | 'maxListed' | 'floorUnits'>): number {
  // Integer arithmetic: a share never rounds a unit up into existence.
  const shared = Math.floor((Math.max(0, atp) * rules.sharePercent) / 100);
  const capped = Math.min(shared - rules.bufferUnits, rules.maxListed ?? Number.MAX_SAFE_INTEGER);
  return capped < Math.max(rules.floorUnits, 1) ? 0 : capped;
}

/** Does this channel sell from this warehouse? */
export function servesFrom(rules: Pick<ChannelRules, 'warehouses'>, warehouseId: string): boolean {
  return rules.warehouses === null || rules.warehouses.includes(warehouseId);
}

/** The locations a channel is told about for a SKU: its warehouses (per location) or the whole channel. */
export function locationsOf(rules: ChannelRules, atp: WarehouseAtp): string[] {
  if (!rules.perLocation) return [WHOLE_CHANNEL];
  if (rules.connector.kind === 'shopify') {
    const locations = rules.connector.locations;
    return Object.keys(locations).filter((id) => servesFrom(rules, id)).sort();
  }
  return [...atp.keys()].filter((id) => servesFrom(rules, id)).sort();
}

/**
 * What one channel may sell of one SKU, per location it is told about. A warehouse that does not
 * serve the channel adds nothing; a location with no stock record shows 0.
 */
export function channelFigures(rules: ChannelRules, sku: string, atp: WarehouseAtp): ChannelFigure[] {
  return locationsOf(rules, atp).map((location) => {
    const base = location === WHOLE_CHANNEL ? sumServed(rules, atp) : (atp.get(location) ?? 0);
    return { channel: rules.channel, sku, location, quantity: sellableOf(base, rules) };
  });
}

function sumServed(rules: ChannelRules, atp: WarehouseAtp): number {
  let total = 0;
  for (const [warehouseId, quantity] of atp) if (servesFrom(rules, warehouseId)) total += Math.max(0, quantity);
  return total;
}
