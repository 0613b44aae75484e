import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { webhookSignature, type ChannelConfig, type WebhookReceipt } from '@crossdock/channels';
import { MARKETPLACE_FEED_PATH } from '@crossdock/simulators';
import { shopifyExampleBody, STUPIDEDI_850, x12Fixture } from '@crossdock/testkit';
import { eventually, sellableSku } from './capture-fixtures';
import { repoChannelConfig, TEST_SECRETS, useRealChannelHarness } from './channel-harness';

const harness = useRealChannelHarness();

const created = shopifyExampleBody('orders/create');
const cancelled = shopifyExampleBody('orders/cancelled');

/** A Shopify order example under another order id (so tests do not share orders). */
function shopifyOrder(id: string, body = created): string {
  return body.replace('"id":820982911946154500', `"id":${id}`);
}

function sendShopify(topic: string, body: string, webhookId: string, secret = TEST_SECRETS.SHOPIFY_WEBHOOK_SECRET): Promise<WebhookReceipt> {
  return harness().channels.reception.receiveShopify(topic, Buffer.from(body), { 'x-shopify-webhook-id': webhookId, 'x-shopify-hmac-sha256': webhookSignature(body, secret), 'x-shopify-topic': topic });
}

async function processed(id: string) {
  return eventually(async () => {
    const delivery = await harness().store.webhook(id);
    return delivery && delivery.state !== 'PENDING' ? delivery : null;
  });
}

/** The open exceptions of `subject`, once there is one: each is recorded right after the state that caused it. */
async function openExceptions(subject: string) {
  return eventually(async () => {
    const { items } = await harness().capture.capture.exceptions.list({ subject, states: ['open'] }, { first: 10, after: null });
    return items.length > 0 ? items : null;
  });
}

describe('Shopify orders/create and orders/cancelled, from the documented examples', () => {
  it('acknowledges at once and places the order afterwards, its id kept exact beyond 2^53', async () => {
    const body = shopifyOrder('820982911946154508');
    expect(await sendShopify('orders/create', body, 'wh-create-1')).toEqual({ status: 202, body: { status: 'accepted', deliveryId: 'wh-create-1' } });
    const delivery = await processed('shopify:wh-create-1');
    expect(delivery).toMatchObject({ state: 'DONE', outcome: expect.stringMatching(/^order ORD-H/) });
    const order = await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946154508');
    expect(order).toMatchObject({ channel: 'web', externalRef: '820982911946154508', customerId: 'CUST-0004' });
    expect(order?.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['SKU-00056', 1],
      ['SKU-00075', 1],
      ['SKU-00128', 1],
      ['SKU-00104', 1],
      ['SKU-00142', 1],
    ]);
  });

  it('a replayed webhook (same id) is answered as a duplicate; the same order in another delivery is still one order', async () => {
    const body = shopifyOrder('820982911946154600');
    await sendShopify('orders/create', body, 'wh-dup-1');
    expect(await sendShopify('orders/create', body, 'wh-dup-1')).toEqual({ status: 200, body: { status: 'duplicate', deliveryId: 'wh-dup-1' } });
    await sendShopify('orders/create', body, 'wh-dup-2');
    const [first, second] = [await processed('shopify:wh-dup-1'), await processed('shopify:wh-dup-2')];
    expect(first.outcome).toBe(second.outcome);
  });

  it('refuses a wrong HMAC with 401, keeps the body as an exception, and places nothing', async () => {
    const body = shopifyOrder('820982911946154700');
    expect(await sendShopify('orders/create', body, 'wh-forged', 'not-the-secret')).toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
    const [exception] = await openExceptions('shopify:wh-forged');
    expect(exception).toMatchObject({ kind: 'malformed-webhook', rawPayload: body, reason: expect.stringMatching(/signature does not match/) });
    expect(await harness().store.webhook('shopify:wh-forged')).toBeNull();
    expect(await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946154700')).toBeNull();
  });

  it('cancels the order a cancelled webhook names', async () => {
    await sendShopify('orders/create', shopifyOrder('820982911946154800'), 'wh-to-cancel');
    await processed('shopify:wh-to-cancel');
    await sendShopify('orders/cancelled', shopifyOrder('820982911946154800', cancelled), 'wh-cancel');
    expect(await processed('shopify:wh-cancel')).toMatchObject({ state: 'DONE', outcome: expect.stringMatching(/cancelled$/) });
    expect((await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946154800'))?.status).toBe('CANCELLED');
  });

  it('an unknown store SKU lands in the exception store; replayed after the mapping is fixed, it is placed once', async () => {
    const body = shopifyOrder('820982911946154900').replace('"sku":"SKU2006-001"', '"sku":"NEW-STORE-SKU"');
    await sendShopify('orders/create', body, 'wh-unknown-sku');
    expect(await processed('shopify:wh-unknown-sku')).toMatchObject({ state: 'FAILED', lastError: expect.stringMatching(/UNKNOWN_SKU/) });
    const [exception] = await openExceptions('shopify:wh-unknown-sku');
    expect(exception).toMatchObject({ kind: 'malformed-webhook', rawPayload: body });

    const config: ChannelConfig = repoChannelConfig();
    if (config.shopify) config.shopify.skus['NEW-STORE-SKU'] = 'SKU-00056';
    await harness().reconfigure(config);
    expect((await harness().replayer.replay([exception?.id ?? ''], 'ops'))[0]?.outcome).toBe('REPLAYED');
    expect(await eventually(async () => ((await harness().store.webhook('shopify:wh-unknown-sku'))?.state === 'DONE' ? true : null))).toBe(true);
    const placed = await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946154900#replay-1');
    expect(placed?.lines[0]).toMatchObject({ sku: 'SKU-00056', quantity: 1 });
    expect((await harness().replayer.replay([exception?.id ?? ''], 'ops'))[0]?.outcome).toBe('ALREADY_REPLAYED');
  });

  it('a webhook acknowledged but not yet handed over when the process stopped is placed by the next one', async () => {
    await harness().channels.stop();
    const body = shopifyOrder('820982911946155000');
    expect((await sendShopify('orders/create', body, 'wh-crash')).status).toBe(202);
    // Acknowledged: it waits in the queue, the inbox has not seen it.
    expect(await harness().store.webhook('shopify:wh-crash')).toBeNull();
    expect(await harness().webhookQueue.depth()).toBeGreaterThan(0);
    // A new intake over the same store and queue, as a restarted service would be.
    await harness().reconfigure(repoChannelConfig());
    expect(await processed('shopify:wh-crash')).toMatchObject({ state: 'DONE' });
    expect(await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946155000')).not.toBeNull();
  });

  it('entries a dead consumer took and never settled are taken over and placed once', async () => {
    await harness().channels.stop();
    const body = shopifyOrder('820982911946155100');
    expect((await sendShopify('orders/create', body, 'wh-taken-then-crash')).status).toBe(202);
    // A replica takes the entry and dies before storing it.
    const taken = await harness().webhookQueue.take('replica-that-dies', { count: 10, blockMs: 0, claimIdleMs: 60_000 });
    expect(taken.map((t) => t.webhook?.id)).toContain('shopify:wh-taken-then-crash');
    // The restarted service takes it over once it was idle past the claim time (the harness: 300 ms).
    await harness().reconfigure(repoChannelConfig());
    expect(await processed('shopify:wh-taken-then-crash')).toMatchObject({ state: 'DONE' });
    expect(await harness().webhookQueue.depth()).toBe(0);
    const order = await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946155100');
    expect(order?.externalRef).toBe('820982911946155100');
  });
});

describe('a backend down while a webhook is processed: not the store’s fault', () => {
  it('is tried again past the policy’s attempts, never filed as malformed, and placed once when the backend is back', async () => {
    // One line of a store SKU mapped to a SKU no other test touched: with the WMS down its stock is not known.
    const freshSku = sellableSku(43);
    const config = repoChannelConfig();
    if (config.shopify) config.shopify.skus['FRESH-STORE-SKU'] = freshSku;
    await harness().reconfigure(config);
    const body = shopifyOrder('820982911946155200').replace('"sku":"SKU2006-001"', '"sku":"FRESH-STORE-SKU"');
    await harness().capture.setFault('down', 'wms');
    try {
      expect((await sendShopify('orders/create', body, 'wh-wms-down')).status).toBe(202);
      // The harness allows 3 attempts; a passing failure is tried on regardless.
      const waiting = await eventually(async () => {
        const delivery = await harness().store.webhook('shopify:wh-wms-down');
        return delivery && delivery.attempts >= 4 ? delivery : null;
      });
      expect(waiting).toMatchObject({ state: 'PENDING', lastError: expect.stringMatching(/WMS is unavailable/) });
      expect((await harness().capture.capture.exceptions.list({ subject: 'shopify:wh-wms-down' }, { first: 10, after: null })).items).toEqual([]);
    } finally {
      await harness().capture.setFault('none', 'wms');
    }
    expect(await processed('shopify:wh-wms-down')).toMatchObject({ state: 'DONE', outcome: expect.stringMatching(/^order ORD-H/) });
    expect(await harness().capture.capture.orders.getByIdempotencyKey('web:shopify:820982911946155200')).toMatchObject({ externalRef: '820982911946155200' });
    expect((await harness().capture.capture.exceptions.list({ subject: 'shopify:wh-wms-down' }, { first: 10, after: null })).items).toEqual([]);
  });
});

describe('a marketplace configured by a JSONata mapping alone', () => {
  it('takes the simulator’s marketplace orders, ids past 2^53 included', async () => {
    const feed = (await (await fetch(`${harness().capture.sims.commerce.url}${MARKETPLACE_FEED_PATH}?from=0&count=3`)).json()) as { payloads: string[] };
    expect(feed.payloads).toHaveLength(3);
    expect(feed.payloads[0]).toMatch(/"marketplaceOrderId":9007199254740993,/);
    for (const [i, body] of feed.payloads.entries()) {
      const receipt = await harness().channels.reception.receiveMapped('tradewind-market', Buffer.from(body), {
        'x-tradewind-delivery': `tw-${i}`,
        'x-tradewind-signature': webhookSignature(body, TEST_SECRETS.TRADEWIND_WEBHOOK_SECRET),
      });
      expect(receipt.status).toBe(202);
    }
    for (const i of [0, 1, 2]) expect(await processed(`tradewind-market:tw-${i}`)).toMatchObject({ state: 'DONE', outcome: expect.stringMatching(/^order ORD-H/) });
    const order = await harness().capture.capture.orders.getByIdempotencyKey('marketplace:tradewind-market:TW-100000');
    expect(order).toMatchObject({ channel: 'marketplace', externalRef: 'TW-100000' });
  });
});

describe('documents delivered through the outbox', () => {
  let endpoint: Server;
  let url = '';
  const received: string[] = [];
  // Each document is refused twice before it is taken: a submit makes several (997, 855), delivered in any order.
  const REFUSALS_PER_DOCUMENT = 2;
  const refusals = new Map<string, number>();

  beforeAll(async () => {
    endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/always-down') return void res.writeHead(503).end();
        const body = Buffer.concat(chunks).toString('utf8');
        const refused = refusals.get(body) ?? 0;
        if (refused < REFUSALS_PER_DOCUMENT) {
          refusals.set(body, refused + 1);
          return void res.writeHead(503).end();
        }
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  });

  function withDelivery(path: string): ChannelConfig {
    const config = repoChannelConfig();
    const partner = config.partners.find((p) => p.id === 'sender-corp');
    if (partner) partner.delivery = { url: `${url}${path}`, headers: { 'x-van-mailbox': 'sender-corp' } };
    return config;
  }

  it('retries a refusing endpoint until it takes the document, and delivers it once', async () => {
    const channels = await harness().reconfigure(withDelivery('/inbox'));
    const text = x12Fixture(STUPIDEDI_850).replace(/\*000000001\*0\*T\*/, '*000009001*0*T*').replace('IEA*1*000000001', 'IEA*1*000009001').replace('BEG*00*NE*PO12345', 'BEG*00*NE*PO-DELIVERED');
    const [result] = await channels.edi.submit(text, ['sender-corp']);
    const documentId = result?.acknowledgment.documentId ?? '';
    const delivered = await eventually(async () => {
      const [doc] = await harness().store.documents([documentId]);
      return doc?.delivery.state === 'DELIVERED' ? doc : null;
    });
    expect(delivered.delivery.attempts).toBe(REFUSALS_PER_DOCUMENT + 1);
    expect(received.filter((body) => body === delivered.body)).toHaveLength(1);
  });

  it('gives up after the policy’s attempts with an exception, and a replay queues it again', async () => {
    const channels = await harness().reconfigure(withDelivery('/always-down'));
    const text = x12Fixture(STUPIDEDI_850).replace(/\*000000001\*0\*T\*/, '*000009002*0*T*').replace('IEA*1*000009002', 'IEA*1*000009002').replace('IEA*1*000000001', 'IEA*1*000009002').replace('BEG*00*NE*PO12345', 'BEG*00*NE*PO-UNDELIVERED');
    const [result] = await channels.edi.submit(text, ['sender-corp']);
    const documentId = result?.acknowledgment.documentId ?? '';
    const failed = await eventually(async () => {
      const [doc] = await harness().store.documents([documentId]);
      return doc?.delivery.state === 'FAILED' ? doc : null;
    });
    expect(failed.delivery).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/HTTP 503/) });
    const [exception] = await openExceptions(documentId);
    expect(exception).toMatchObject({ kind: 'edi-delivery', rawPayload: failed.body });
    await harness().reconfigure(withDelivery('/inbox'));
    expect((await harness().replayer.replay([exception?.id ?? ''], 'ops'))[0]?.outcome).toBe('REPLAYED');
    expect(await eventually(async () => ((await harness().store.documents([documentId]))[0]?.delivery.state === 'DELIVERED' ? true : null))).toBe(true);
  });
});
