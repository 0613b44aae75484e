import { Prng } from './prng';
import { generateWorld } from './world';

/** The simulated marketplace whose orders become a channel by a mapping file alone (config/channels/tradewind-market.*). */
export const MARKETPLACE_NAME = 'tradewind-market';

/** Where the commerce simulator serves the feed. */
export const MARKETPLACE_FEED_PATH = `/marketplace/${MARKETPLACE_NAME}/orders.json`;

/**
 * Orders as the marketplace sends them in its webhooks, each as the raw JSON text it would post:
 * its own shape (orderNumber, buyer.accountRef, items[].listingSku prefixed `TW-`, qty), and a
 * `marketplaceOrderId` integer beyond 2^53 written as a bare number, as such marketplaces do, so
 * the hub must keep it exact. Deterministic for a given `from` and `count`.
 */
export function marketplaceOrders(from: number, count: number): string[] {
  const world = generateWorld();
  const products = world.products.filter((product) => product.sellable && product.uom === 'EA' && product.listPriceCents < 5_000);
  const customers = world.customers.filter((customer) => !customer.onHold && customer.creditLimitCents >= 5_000_000);
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const prng = new Prng(9_001 + n);
    const items = Array.from({ length: prng.int(1, 3) }, (_unused, line) => {
      const product = products[(n * 7 + line * 13) % products.length];
      return product ? { listingSku: `TW-${product.sku}`, qty: prng.int(1, 4), unitPrice: { amount: (product.listPriceCents / 100).toFixed(2), currency: 'USD' } } : null;
    }).filter((item) => item !== null);
    const customer = customers[n % customers.length];
    const body = JSON.stringify({ orderNumber: `TW-${String(100_000 + n)}`, marketplaceOrderId: 'MARKETPLACE_ORDER_ID', buyer: { accountRef: customer?.id ?? 'CUST-0004' }, items });
    // 9007199254740993 + n: past 2^53, written unquoted as the marketplace's JSON has it.
    return body.replace('"MARKETPLACE_ORDER_ID"', (9_007_199_254_740_993n + BigInt(n)).toString());
  });
}
