import { createHmac } from 'node:crypto';
import { readInterchanges } from '@crossdock/edi';
import { shopifyExampleBody, startHubStack, VICS_850, x12Fixture, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const SHOPIFY_SECRET = 'e2e-shopify-secret';

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

  beforeAll(async () => {
    hub = await startHubStack({ serviceEnv: { commerce: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } } });
  }, 180_000);
  afterAll(async () => {
    await hub?.stop();
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

  it('POST /webhooks/shopify/orders/create: 202 at once for a signed body, 200 for its redelivery, 401 for a forged one', async () => {
    const body = shopifyExampleBody('orders/create').replace('"id":820982911946154500', '"id":820982911946159999');
    const send = (id: string, signature: string) =>
      fetch(`${hub.gatewayUrl}/webhooks/shopify/orders/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-webhook-id': id, 'x-shopify-hmac-sha256': signature, 'x-shopify-topic': 'orders/create' },
        body,
      });
    const signature = createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64');
    const first = await send('e2e-webhook-1', signature);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted', deliveryId: 'e2e-webhook-1' });
    expect((await send('e2e-webhook-1', signature)).status).toBe(200);
    expect((await send('e2e-webhook-2', createHmac('sha256', 'forged').update(body).digest('base64'))).status).toBe(401);

    // The order appears, exactly once, under the store's order id; the forged one is an exception.
    const reader = await hub.token({ scopes: ['orders:read'] });
    const webOrders = async () => {
      const { body: page } = await hub.query<{ orders: { edges: { node: { externalRef: string | null } }[] } }>('{ orders(filter: { channel: "web" }, first: 100) { edges { node { externalRef } } } }', {}, reader);
      return (page.data?.orders.edges ?? []).filter((e) => e.node.externalRef === '820982911946159999');
    };
    for (let tries = 0; (await webOrders()).length === 0 && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await webOrders()).toHaveLength(1);
    const ops = await hub.token({ scopes: ['ops:admin'] });
    const { body: exceptions } = await hub.query<{ exceptions: { edges: { node: { kind: string; subject: string } }[] } }>(
      '{ exceptions(filter: { kinds: [MALFORMED_WEBHOOK] }, first: 20) { edges { node { kind subject } } } }',
      {},
      ops,
    );
    expect(exceptions.data?.exceptions.edges.map((e) => e.node.subject)).toContain('shopify:e2e-webhook-2');
  });
});
