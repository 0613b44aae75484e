import { describe, expect, it } from '@jest/globals';
import { MemoryWebhookQueue, webhookSignature, WebhookReception, type MappedChannelConfig } from '../src';

const bazaar: MappedChannelConfig = {
  kind: 'mapped',
  name: 'bazaar',
  channel: 'marketplace',
  mapping: 'bazaar.jsonata',
  secretEnv: 'BAZAAR_WEBHOOK_SECRET',
  signatureHeader: 'x-bazaar-signature',
  deliveryIdHeader: 'x-bazaar-delivery',
  secret: 'bz-secret',
  expression: '$',
};

describe('webhook door: changed channel files', () => {
  it('serves a channel added by replace() and stops serving one taken away', async () => {
    const queue = new MemoryWebhookQueue();
    const reception = new WebhookReception({ shopify: null, mapped: [] }, queue);
    const body = Buffer.from('{"orderNo":"B-1"}');
    const headers = { 'x-bazaar-signature': webhookSignature(body, 'bz-secret'), 'x-bazaar-delivery': 'd-1' };
    expect(reception.serves('channels/bazaar/orders')).toBe(false);
    expect((await reception.receive('channels/bazaar/orders', body, headers)).status).toBe(404);

    reception.replace({ shopify: null, mapped: [bazaar] });
    expect(reception.serves('channels/bazaar/orders')).toBe(true);
    expect(await reception.receive('channels/bazaar/orders', body, headers)).toEqual({ status: 202, body: { status: 'accepted', deliveryId: 'd-1' } });
    // The new secret is the one checked.
    expect((await reception.receive('channels/bazaar/orders', body, { ...headers, 'x-bazaar-signature': webhookSignature(body, 'old-secret') })).status).toBe(401);

    reception.replace({ shopify: null, mapped: [] });
    expect(reception.serves('channels/bazaar/orders')).toBe(false);
    expect((await queue.take('a', { count: 10, blockMs: 0, claimIdleMs: 60_000 })).map((t) => t.webhook?.kind)).toEqual(['accepted', 'refused']);
  });
});
