import { createHmac } from 'node:crypto';
import { shopifyOrderBody, VICS_850, x12Fixture } from '@crossdock/testkit';

/**
 * The VICS sample as interchange `n`: its own ISA13 and PO number, every line for 1 unit so a
 * long run neither runs out of stock nor of the customer's credit (the shape stays the sample's:
 * 6 lines, terms, dates, packaging, routing).
 */
export function vicsInterchange(n: number, options: { oneUnit: boolean } = { oneUnit: true }): string {
  const isa13 = String(100_000 + n).padStart(9, '0');
  let text = x12Fixture(VICS_850)
    .replace('*000003438*0*P*', `*${isa13}*0*P*`)
    .replace('IEA*1*000003438', `IEA*1*${isa13}`)
    .replace('BEG*00*SA*08292233294*', `BEG*00*SA*BENCH-${n}*`);
  if (options.oneUnit) text = text.replace(/PO1\*(\d)\*\d+\*EA\*/g, 'PO1*$1*1*EA*');
  return text;
}

/** The placeOrder request the VICS sample maps to (the acme-retail partner file), for the bound row. */
export const VICS_ONE_UNIT_LINES = ['SKU-00056', 'SKU-00075', 'SKU-00128', 'SKU-00104', 'SKU-00142', 'SKU-00107'].map((sku) => ({ sku, quantity: 1 }));

/** Store SKUs of Shopify's example order that config/channels/shopify.json maps. */
const STORE_SKUS = ['SKU2006-001', 'LENS-PROTECT-2YR', 'CASE-LEATHER-PREM', 'SKU2006-020', 'SKU2006-035'];

/**
 * Shopify's documented orders/create example as order `n`: its own order id (past 2^53) and one
 * line of one unit, rotating over the mapped SKUs, signed with `secret` as Shopify signs it.
 */
export function shopifyWebhook(n: number, secret: string): { body: string; headers: Record<string, string> } {
  const sku = STORE_SKUS[n % STORE_SKUS.length] ?? 'SKU2006-001';
  const body = shopifyOrderBody(String(9_100_000_000_000_000n + BigInt(n)), [{ sku, quantity: 1 }]);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': `bench-${n}`,
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
  };
}
