import type { OrderLine } from '@crossdock/model';

/** An order line's global id: `<order id>:<line number>` (the schema's OrderLine key). */
export function orderLineId(line: Pick<OrderLine, 'orderId' | 'lineNumber'>): string {
  return `${line.orderId}:${line.lineNumber}`;
}

/** Reads an order line id; null for anything that is not `<order id>:<positive line number>`. */
export function parseOrderLineId(id: string): { orderId: string; lineNumber: number } | null {
  // The last colon splits, so an order id that itself contains one still round-trips.
  const colon = id.lastIndexOf(':');
  const lineNumber = id.slice(colon + 1);
  if (colon <= 0 || !/^[1-9]\d{0,8}$/.test(lineNumber)) return null;
  return { orderId: id.slice(0, colon), lineNumber: Number(lineNumber) };
}
