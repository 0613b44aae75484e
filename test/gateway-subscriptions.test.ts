import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateWorld } from '@crossdock/simulators';
import {
  connectSubscriptions,
  startHubStack,
  startServiceProcess,
  type HubStack,
  type NextPayload,
  type ServiceProcess,
  type TestSubscriptionConnection,
} from '@crossdock/testkit';

/**
 * Live subscriptions end to end on real processes: two gateway replicas, each in front of its own
 * replica of every subscription subgraph (wms, shipping, commerce), over one Redis. The WMS and
 * carrier simulators post their notices to the first replicas; the events reach every subscriber
 * through either gateway, with fields of other subgraphs resolved per event, exactly once.
 */

const world = generateWorld();
const shipmentsByOrder = new Map<string, typeof world.shipments>();
for (const s of world.shipments) shipmentsByOrder.set(s.orderId, [...(shipmentsByOrder.get(s.orderId) ?? []), s]);

const READ = ['orders:read', 'inventory:read', 'shipments:read', 'customers:read'];
const SKU = 'SKU-00031';

const INVENTORY = /* GraphQL */ `
  subscription ($skus: [ID!], $after: String) {
    inventoryChanged(skus: $skus, after: $after) { sku onHand warehouse { id } product { name } }
  }
`;
const SHIPMENTS = /* GraphQL */ `
  subscription ($orderId: ID) { shipmentUpdated(orderId: $orderId) { id status order { id customer { id name } } } }
`;

let stack: HubStack;
let secondGateway: ServiceProcess;
const connections: TestSubscriptionConnection[] = [];

beforeAll(async () => {
  stack = await startHubStack({ replicas: 2 });
  const [wms, shipping] = await Promise.all([stack.startSubgraphReplica('wms'), stack.startSubgraphReplica('shipping')]);
  // The stack's second gateway shares wms and shipping with the first; this one has its own.
  secondGateway = await startServiceProcess({
    name: 'gateway',
    entry: 'gateway/src/index.ts',
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      HUB_JWT_SECRET: stack.jwtSecret,
      HUB_SUBGRAPH_SECRET: stack.subgraphSecret,
      REDIS_URL: stack.redisUrl,
      SUBGRAPH_URL_ERP: `${stack.subgraph('erp').url}/graphql`,
      SUBGRAPH_URL_WMS: `${wms.url}/graphql`,
      SUBGRAPH_URL_SHIPPING: `${shipping.url}/graphql`,
      SUBGRAPH_URL_COMMERCE: `${stack.subgraph('commerce', 1).url}/graphql`,
    },
  });
}, 240_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await secondGateway?.stop();
  await stack?.stop();
});

async function connect(gatewayUrl: string, options: { customerId?: string } = {}): Promise<TestSubscriptionConnection> {
  const token = await stack.token({ scopes: READ, ...options });
  const connection = await connectSubscriptions(`${gatewayUrl.replace(/^http/, 'ws')}/graphql`, { authorization: `Bearer ${token}` });
  connections.push(connection);
  return connection;
}

async function admin(backend: 'wms' | 'shipping', path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${stack.simulatorUrls[backend]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

/** Gives stray repeats a moment to show up after the expected events arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

function cursors(events: NextPayload[]): string[] {
  return events.map((e) => String(e.extensions?.cursor));
}

describe('gateway subscriptions on real processes', () => {
  it('delivers every stock movement once to every subscriber of both gateways, product name from the ERP', async () => {
    const gateways = [stack.gatewayUrl, secondGateway.url];
    const subscriptions = await Promise.all(
      gateways.flatMap((url) => [0, 1].map(async () => (await connect(url)).subscribe<{ inventoryChanged: { onHand: number; product: { name: string } } }>(INVENTORY, { skus: [SKU] }))),
    );
    await settle(); // the subscribe messages reach the subgraphs
    const warehouse = world.warehouses[0]!.id;
    for (const delta of [2, 3, 4]) await admin('wms', '/_admin/adjust', { sku: SKU, warehouseId: warehouse, delta });
    const received = await Promise.all(subscriptions.map((s) => s.waitFor(3, 20_000)));
    await settle();
    const product = world.products.find((p) => p.sku === SKU)!;
    for (const [index, subscription] of subscriptions.entries()) {
      expect(subscription.received).toHaveLength(3);
      const events = received[index]!;
      expect(events.every((e) => e.data?.inventoryChanged.product.name === product.name)).toBe(true);
      expect(new Set(cursors(events)).size).toBe(3);
      expect(cursors(events)).toEqual(cursors(received[0]!)); // same events, same order, whichever gateway
    }
    // A client coming back with the first cursor gets what came after it, through either gateway.
    const resumed = (await connect(secondGateway.url)).subscribe(INVENTORY, { skus: [SKU], after: cursors(received[0]!)[0] });
    await resumed.waitFor(2, 20_000);
    await settle();
    expect(cursors(resumed.received)).toEqual(cursors(received[0]!).slice(1));
  });

  it('gives a customer only its own shipments, with the order and customer from two other subgraphs', async () => {
    const inTransit = world.orders.filter((o) => o.status === 'SHIPPED' && (shipmentsByOrder.get(o.id) ?? []).map((s) => s.status).join(',') === 'IN_TRANSIT');
    const mine = inTransit[0];
    const theirs = inTransit.find((o) => o.customerId !== mine?.customerId);
    if (!mine || !theirs) throw new Error('the seeded world has no two suitable orders');
    const customer = world.customers.find((c) => c.id === mine.customerId)!;
    const [ownerView, otherView, staffView] = await Promise.all([
      connect(secondGateway.url, { customerId: mine.customerId }).then((c) => c.subscribe<{ shipmentUpdated: { id: string; order: { id: string; customer: { name: string } } } }>(SHIPMENTS)),
      connect(stack.gatewayUrl, { customerId: theirs.customerId }).then((c) => c.subscribe(SHIPMENTS, { orderId: mine.id })),
      connect(stack.gatewayUrl).then((c) => c.subscribe(SHIPMENTS, { orderId: mine.id })),
    ]);
    await settle();
    await admin('shipping', `/_admin/shipments/${shipmentsByOrder.get(mine.id)![0]!.id}/advance`);
    await admin('shipping', `/_admin/shipments/${shipmentsByOrder.get(theirs.id)![0]!.id}/advance`);
    const [owned] = await Promise.all([ownerView.waitFor(1, 20_000), staffView.waitFor(1, 20_000)]);
    await settle();
    expect(ownerView.received).toHaveLength(1);
    expect(owned[0]?.data?.shipmentUpdated.order).toEqual({ id: mine.id, customer: { id: mine.customerId, name: customer.name } });
    expect(staffView.received).toHaveLength(1);
    // The other customer asked for this order's shipments: it is not theirs, so nothing comes.
    expect(otherView.received).toEqual([]);
  });
});
