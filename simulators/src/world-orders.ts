import { CHANNELS, type OrderStatus } from '@crossdock/model';
import type { Prng } from './prng';
import type { Catalog } from './world-catalog';
import { DAY_MS, WORLD_EPOCH_MS, WORLD_SPAN_MS, type WorldCustomer, type WorldOrder, type WorldOrderLine } from './world-types';

export const ORDER_COUNT = 500;
const COMMERCE_ID_BASE = 6_100_000_000;
const ERP_ORDER_BASE = 100_000;
const DIGITS = '0123456789';

/** Channel mix of a mid-size distributor. */
const CHANNEL_WEIGHTS: Record<(typeof CHANNELS)[number], number> = {
  web: 0.35,
  edi: 0.25,
  marketplace: 0.2,
  'b2b-portal': 0.2,
};

function pickChannel(prng: Prng): string {
  let roll = prng.next();
  for (const channel of CHANNELS) {
    roll -= CHANNEL_WEIGHTS[channel];
    if (roll < 0) return channel;
  }
  return 'web';
}

/** Each channel numbers its orders its own way; the hub keeps that as externalRef. */
function externalRefFor(prng: Prng, channel: string, sequence: number): string {
  switch (channel) {
    case 'web':
      return `#${1000 + sequence}`;
    case 'edi':
      return `PO-45${prng.chars(DIGITS, 8)}`;
    case 'marketplace':
      return `MKT-${prng.chars(DIGITS, 3)}-${prng.chars(DIGITS, 7)}-${prng.chars(DIGITS, 7)}`;
    default:
      return `B2B-${prng.chars(DIGITS, 6)}`;
  }
}

/** Splitting across warehouses needs two units or two lines to split. */
function canSplit(lines: readonly WorldOrderLine[]): boolean {
  return lines.length >= 2 || (lines[0]?.quantity ?? 0) >= 2;
}

/**
 * Older orders are further along. Held customers' recent orders wait on credit; a few orders
 * anywhere were cancelled; a few old ones are still "shipped" because the parcel got stuck or
 * came back.
 */
function statusFor(prng: Prng, ageMs: number, customer: WorldCustomer, lines: readonly WorldOrderLine[]): OrderStatus {
  const age = ageMs / DAY_MS;
  if (prng.chance(0.05)) return 'CANCELLED';
  if (customer.onHold && age < 21) return 'ON_HOLD';
  if (age < 2) return 'ACCEPTED';
  if (age < 5) return 'ALLOCATED';
  if (age < 12) return prng.chance(0.3) && canSplit(lines) ? 'PARTIALLY_SHIPPED' : 'SHIPPED';
  return prng.chance(0.12) ? 'SHIPPED' : 'DELIVERED';
}

function generateLines(prng: Prng, catalog: Catalog, customer: WorldCustomer, channel: string): WorldOrderLine[] {
  const count = prng.int(1, 5);
  const products = prng.shuffle(catalog.sellable).slice(0, count);
  // Marketplace orders sell at the public price; contract discounts apply elsewhere.
  const discount = channel === 'marketplace' ? 0 : customer.discountPercent;
  return products.map((product, i) => ({
    lineNumber: i + 1,
    sku: product.sku,
    quantity: prng.int(1, 20),
    unitPriceCents: Math.round((product.listPriceCents * (100 - discount)) / 100),
  }));
}

/** 500 orders over the 60 days before the epoch, numbered oldest first. */
export function generateOrders(prng: Prng, catalog: Catalog): { orders: WorldOrder[] } {
  const placedTimes = Array.from({ length: ORDER_COUNT }, () => {
    const ageSeconds = prng.int(600, WORLD_SPAN_MS / 1000);
    return WORLD_EPOCH_MS - ageSeconds * 1000;
  }).sort((a, b) => a - b);
  const sequences = new Map<string, number>();
  const orders = placedTimes.map((placedAtMs, i): WorldOrder => {
    const customer = prng.pick(catalog.customers);
    const channel = pickChannel(prng);
    const sequence = (sequences.get(channel) ?? 0) + 1;
    sequences.set(channel, sequence);
    const lines = generateLines(prng, catalog, customer, channel);
    return {
      id: `ORD-${(i + 1).toString().padStart(6, '0')}`,
      commerceId: COMMERCE_ID_BASE + (i + 1) * 7,
      channel,
      externalRef: externalRefFor(prng, channel, sequence),
      status: statusFor(prng, WORLD_EPOCH_MS - placedAtMs, customer, lines),
      placedAtMs,
      customerId: customer.id,
      lines,
      erpOrderNumber: `SO-${ERP_ORDER_BASE + i + 1}`,
      totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
    };
  });
  return { orders };
}
