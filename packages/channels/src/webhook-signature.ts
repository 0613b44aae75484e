import { createHmac, timingSafeEqual } from 'node:crypto';

/** The base64 HMAC-SHA256 of a raw body: what Shopify sends in X-Shopify-Hmac-Sha256. */
export function webhookSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * Whether `header` is the body's HMAC under `secret`, compared in constant time over the raw
 * bytes as received (a body parsed and re-serialised would never match).
 */
export function verifyWebhookSignature(rawBody: Buffer | string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
