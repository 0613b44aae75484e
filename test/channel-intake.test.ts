import { createHash, createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInterchanges } from '@crossdock/edi';
import { MARKETPLACE_FEED_PATH } from '@crossdock/simulators';
import { repoRoot, shopifyExampleBody, startHubStack, VICS_850, x12Fixture, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const SHOPIFY_SECRET = 'e2e-shopify-secret';
const TRADEWIND_SECRET = 'e2e-tradewind-secret';

/** The VICS sample as another interchange and PO, so this file shares nothing with other tests. */
function vics(control: number, poNumber: string): string {
  const isa13 = String(control).padStart(9, '0');
  return x12Fixture(VICS_850)
    .replace('*000003438*0*P*', `*${isa13}*0*P*`)
    .replace('IEA*1*000003438', `IEA*1*${isa13}`)
    .replace('BEG*00*SA*08292233294*', `BEG*00*SA*${poNumber}*`);
}

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

interface EdiAnswer {
  interchanges?: { partnerId: string; duplicate: boolean; acknowledgment: { status: string; document: string | null }; purchaseOrders: { poNumber: string; outcome: string; orderId: string | null }[] }[];
  code?: string;
  message?: string;
  issues?: { code: string; segmentTag: string | null; elementPosition: number | null }[];
}

describe('channel intake at the gateway (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  // A copy of the repository's partner and channel files, so a test can add a partner while the hub runs.
  const configDir = mkdtempSync(join(tmpdir(), 'crossdock-channel-config-'));

  beforeAll(async () => {
    cpSync(join(repoRoot(), 'config'), configDir, { recursive: true });
    // The gateway and commerce both have the store's secret: the gateway verifies and queues.
    // Only commerce has the marketplace's secret: the gateway forwards those webhooks to it.
    hub = await startHubStack({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, CHANNEL_CONFIG_DIR: configDir }, serviceEnv: { commerce: { TRADEWIND_WEBHOOK_SECRET: TRADEWIND_SECRET } } });
  }, 180_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  const postEdi = async (body: string, authorization?: string): Promise<{ status: number; body: EdiAnswer }> => {
    const response = await fetch(`${hub.gatewayUrl}/edi/x12`, { method: 'POST', headers: { 'content-type': 'application/edi-x12', ...(authorization ? { authorization } : {}) }, body });
    return { status: response.status, body: (await response.json()) as EdiAnswer };
  };

  it('POST /edi/x12 authenticates the partner, places the PO and answers with the 997; the order is in the graph', async () => {
    const { status, body } = await postEdi(vics(9101, 'E2E-PO-1'), basic('acme-retail', 'acme-dev-secret'));
    expect(status).toBe(200);
    const [interchange] = body.interchanges ?? [];
    expect(interchange).toMatchObject({ partnerId: 'acme-retail', duplicate: false, acknowledgment: { status: 'A' }, purchaseOrders: [{ poNumber: 'E2E-PO-1', outcome: 'accepted' }] });
    expect(readInterchanges(interchange?.acknowledgment.document ?? '')[0]?.groups[0]?.sets[0]?.setId).toBe('997');

    const orderId = interchange?.purchaseOrders[0]?.orderId ?? '';
    const token = await hub.token({ scopes: ['orders:read'] });
    const { body: graph } = await hub.query<{ order: { id: string; channel: string; externalRef: string; customer: { id: string } } }>(
      'query($id: ID!) { order(id: $id) { id channel externalRef customer { id } } }',
      { id: orderId },
      token,
    );
    expect(graph.data?.order).toEqual({ id: orderId, channel: 'edi', externalRef: 'E2E-PO-1', customer: { id: 'CUST-0005' } });

    const again = await postEdi(vics(9101, 'E2E-PO-1'), basic('acme-retail', 'acme-dev-secret'));
    expect(again.body.interchanges?.[0]).toMatchObject({ duplicate: true, purchaseOrders: [{ orderId }] });
  });

  it('refuses a wrong or missing partner secret (401), and an unknown ISA sender with where it is (400)', async () => {
    expect((await postEdi(vics(9102, 'E2E-PO-2'), basic('acme-retail', 'wrong'))).status).toBe(401);
    expect((await postEdi(vics(9102, 'E2E-PO-2'))).status).toBe(401);
    const unknown = await postEdi(vics(9103, 'E2E-PO-3').replace('*12*4405197800     *', '*12*4405197899     *'), basic('acme-retail', 'acme-dev-secret'));
    expect(unknown).toMatchObject({ status: 400, body: { code: 'EDI_UNKNOWN_SENDER', issues: [{ segmentTag: 'ISA', elementPosition: 6 }] } });
  });

  it('submitEdi and ediDocuments through the gateway, scoped to the partner’s token', async () => {
    const partner = await hub.token({ scopes: ['edi:submit', 'orders:read'], customerId: 'CUST-0005', channel: 'edi' });
    const { body } = await hub.query<{ submitEdi: { interchanges: { purchaseOrders: { outcome: string }[] }[]; errors: unknown[] } }>(
      'mutation($d: String!) { submitEdi(document: $d) { interchanges { purchaseOrders { outcome } } errors { code } } }',
      { d: vics(9104, 'E2E-PO-4') },
      partner,
    );
    expect(body.data?.submitEdi).toEqual({ interchanges: [{ purchaseOrders: [{ outcome: 'ACCEPTED' }] }], errors: [] });
    const { body: docs } = await hub.query<{ ediDocuments: { edges: { node: { partnerId: string; type: string } }[] } }>('{ ediDocuments(first: 50) { edges { node { partnerId type } } } }', {}, partner);
    const nodes = docs.data?.ediDocuments.edges.map((e) => e.node) ?? [];
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(nodes.map((n) => n.partnerId))).toEqual(new Set(['acme-retail']));
    // Without edi:submit the mutation is refused by the gateway.
    const reader = await hub.token({ scopes: ['orders:read'] });
    const { body: refused } = await hub.query('mutation($d: String!) { submitEdi(document: $d) { errors { code } } }', { d: vics(9105, 'E2E-PO-5') }, reader);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  const shopifyBody = (orderId: string) => shopifyExampleBody('orders/create').replace('"id":820982911946154500', `"id":${orderId}`);
  const sendShopify = (body: string, id: string, signature = createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64')) =>
    fetch(`${hub.gatewayUrl}/webhooks/shopify/orders/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-webhook-id': id, 'x-shopify-hmac-sha256': signature, 'x-shopify-topic': 'orders/create' },
      body,
    });
  /** The web orders whose externalRef is `ref`, once there is one (or [] after 10 s). */
  const webOrders = async (ref: string) => {
    const reader = await hub.token({ scopes: ['orders:read'] });
    const find = async () => {
      const { body: page } = await hub.query<{ orders: { edges: { node: { externalRef: string | null } }[] } }>('{ orders(filter: { channel: "web" }, first: 100) { edges { node { externalRef } } } }', {}, reader);
      return (page.data?.orders.edges ?? []).filter((e) => e.node.externalRef === ref);
    };
    for (let tries = 0; (await find()).length === 0 && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    return find();
  };

  it('POST /webhooks/shopify/orders/create: 202 at once for a signed body, 200 for its redelivery, 401 for a forged one', async () => {
    const body = shopifyBody('820982911946159999');
    const send = (id: string, signature: string) => sendShopify(body, id, signature);
    const signature = createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64');
    const first = await send('e2e-webhook-1', signature);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted', deliveryId: 'e2e-webhook-1' });
    expect((await send('e2e-webhook-1', signature)).status).toBe(200);
    expect((await send('e2e-webhook-2', createHmac('sha256', 'forged').update(body).digest('base64'))).status).toBe(401);

    // The order appears, exactly once, under the store's order id; the forged one is an exception.
    expect(await webOrders('820982911946159999')).toHaveLength(1);
    const ops = await hub.token({ scopes: ['ops:admin'] });
    const { body: exceptions } = await hub.query<{ exceptions: { edges: { node: { kind: string; subject: string } }[] } }>(
      '{ exceptions(filter: { kinds: [MALFORMED_WEBHOOK] }, first: 20) { edges { node { kind subject } } } }',
      {},
      ops,
    );
    expect(exceptions.data?.exceptions.edges.map((e) => e.node.subject)).toContain('shopify:e2e-webhook-2');
  });

  it('the gateway acknowledges while commerce is down (crashed); the restarted commerce places each order once', async () => {
    await hub.killCommerce(0);
    const bodies = ['820982911946158001', '820982911946158002'].map((id) => ({ id, body: shopifyBody(id) }));
    for (const { id, body } of bodies) expect((await sendShopify(body, `e2e-down-${id}`)).status).toBe(202);
    // The store delivers one of them again while commerce is still down: recognised at the gateway.
    expect((await sendShopify(bodies[0]!.body, `e2e-down-${bodies[0]!.id}`)).status).toBe(200);
    await hub.restartCommerce(0);
    for (const { id } of bodies) expect(await webOrders(id)).toHaveLength(1);
  });

  it('a partner file added while the hub runs is served without a restart; a broken file changes nothing', async () => {
    const acme = JSON.parse(readFileSync(join(configDir, 'partners', 'acme-retail.json'), 'utf8')) as Record<string, unknown>;
    const newcomer = { ...acme, id: 'newcomer-stores', name: 'Newcomer Stores', isa: { qualifier: 'ZZ', id: 'NEWCOMER' }, auth: { secretSha256: createHash('sha256').update('newcomer-secret').digest('hex') } };
    // The VICS sample from the newcomer's ISA sender, one unit a line (the earlier tests used up stock).
    const fromNewcomer = (control: number, po: string) => vics(control, po).replace('*12*4405197800     *', '*ZZ*NEWCOMER       *').replace(/PO1\*(\d+)\*\d+\*/g, 'PO1*$1*1*');
    const interchange = fromNewcomer(9201, 'E2E-NEWCOMER-1');
    const asNewcomer = basic('newcomer-stores', 'newcomer-secret');
    expect((await postEdi(interchange, asNewcomer)).status).toBe(401);

    writeFileSync(join(configDir, 'partners', 'newcomer-stores.json'), JSON.stringify(newcomer));
    let answer = await postEdi(interchange, asNewcomer);
    for (let tries = 0; answer.status === 401 && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await postEdi(interchange, asNewcomer);
    }
    expect(answer).toMatchObject({ status: 200, body: { interchanges: [{ partnerId: 'newcomer-stores', purchaseOrders: [{ poNumber: 'E2E-NEWCOMER-1', outcome: 'accepted' }] }] } });

    // A file that does not validate is refused; every partner stays as it was.
    writeFileSync(join(configDir, 'partners', 'broken.json'), '{ "id": "broken-partner" }');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hub.subgraph('commerce').stderr()).toMatch(/partner files not reloaded.*broken\.json/);
    const again = await postEdi(fromNewcomer(9202, 'E2E-NEWCOMER-2'), asNewcomer);
    expect(again.body.interchanges?.[0]?.purchaseOrders).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    expect((await postEdi(vics(9203, 'E2E-ACME-AFTER'), basic('acme-retail', 'acme-dev-secret'))).status).toBe(200);
  });

  it('a channel whose secret only commerce has is forwarded by the gateway and taken by commerce’s own door', async () => {
    const feed = (await (await fetch(`${hub.simulatorUrls.commerce}${MARKETPLACE_FEED_PATH}?from=0&count=1`)).json()) as { payloads: string[] };
    const body = feed.payloads[0] ?? '';
    const send = () =>
      fetch(`${hub.gatewayUrl}/webhooks/channels/tradewind-market/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tradewind-delivery': 'e2e-tw-1', 'x-tradewind-signature': createHmac('sha256', TRADEWIND_SECRET).update(body).digest('base64') },
        body,
      });
    expect((await send()).status).toBe(202);
    expect(await (await send()).json()).toEqual({ status: 'duplicate', deliveryId: 'e2e-tw-1' });
    const reader = await hub.token({ scopes: ['orders:read'] });
    const marketplaceOrders = async () => {
      const { body: page } = await hub.query<{ orders: { edges: { node: { externalRef: string | null } }[] } }>('{ orders(filter: { channel: "marketplace" }, first: 100) { edges { node { externalRef } } } }', {}, reader);
      return (page.data?.orders.edges ?? []).filter((e) => e.node.externalRef === 'TW-100000');
    };
    for (let tries = 0; (await marketplaceOrders()).length === 0 && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await marketplaceOrders()).toHaveLength(1);
  });
});
