import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity } from '@crossdock/auth';
import { generateWorld, type World } from '@crossdock/simulators';
import { ERP_ONLY_VIEW, READ_SCOPES, repoRoot, startHubStack, SUBGRAPHS, UNIFIED_ORDER_VIEW, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { comparableAnswer, expectSameAnswer, startStockGateway, withoutSecurityPurpose, type StockGateway } from './support/differential';

type Operation = { query: string; variables?: Record<string, unknown> };

/** The contract queries (test/graph-queries.test.ts, the unified order view, the ERP-only view) with the world's ids. */
function contractQueries(world: World): Record<string, Operation> {
  const customer = world.customers.find((c) => world.orders.filter((o) => o.customerId === c.id).length >= 3)!;
  const shipment = world.shipments.find((s) => s.status === 'IN_TRANSIT')!;
  const placedAfter = new Date(world.orders.map((o) => o.placedAtMs).sort((a, b) => a - b)[250]!).toISOString();
  return {
    'unified order view': { query: UNIFIED_ORDER_VIEW, variables: { first: 20 } },
    'ERP-only view': { query: ERP_ONLY_VIEW, variables: { customerId: customer.id } },
    'products page': { query: 'query($after: String) { products(first: 37, after: $after) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }' },
    'filtered orders': {
      query: 'query($filter: OrderFilter) { orders(first: 7, filter: $filter) { edges { cursor node { id placedAt channel status } } pageInfo { hasNextPage endCursor } } }',
      variables: { filter: { channel: 'edi', status: ['DELIVERED', 'SHIPPED'], placedAfter } },
    },
    'page size refused': { query: '{ orders(first: 101) { edges { node { id } } } }' },
    'customer with orders': {
      query: 'query($id: ID!) { customer(id: $id) { name creditAvailable { amount } orders(first: 3) { edges { cursor node { id total { amount } fulfillmentStatus shipments { id } } } pageInfo { hasNextPage endCursor } } } }',
      variables: { id: customer.id },
    },
    'product with inventory': {
      query: 'query($sku: ID!) { product(sku: $sku) { name available inventory { warehouse { id name } onHand available product { name } } } inventory(sku: $sku) { product { sku listPrice { amount } } } }',
      variables: { sku: world.products[17]!.sku },
    },
    'shipment with order': { query: 'query($id: ID!) { shipment(id: $id) { status events { status } order { id customer { name } } } }', variables: { id: shipment.id } },
    'warehouses and ATP': {
      query: 'query($sku: ID!) { warehouses { id } availableToPromise(sku: $sku, quantity: 1) { promisable available sources { quantity } } }',
      variables: { sku: world.products[3]!.sku },
    },
    'unknown ids': { query: '{ order(id: "ORD-999999") { id } customer(id: "CUST-9999") { id } shipment(id: "nope") { id } product(sku: "NOPE") { sku } }' },
  };
}

/**
 * The differential test on the hub's own graph: every contract query through Crossdock's gateway
 * (the hub stack's, real processes) and through stock @apollo/gateway on the same subgraphs, for
 * an internal caller and a customer-restricted one, then again with the shipping subgraph down.
 * Both must answer the same data and the same errors at the same paths.
 */
describe('differential: Crossdock gateway vs stock @apollo/gateway on the hub graph', () => {
  let hub: HubStack;
  let world: World;
  let queries: Record<string, Operation>;
  const stock: Record<string, StockGateway> = {};
  const bearer: Record<string, string> = {};

  beforeAll(async () => {
    world = generateWorld();
    queries = contractQueries(world);
    hub = await startHubStack();
    const supergraphSdl = withoutSecurityPurpose(readFileSync(join(repoRoot(), 'supergraph.graphql'), 'utf8'));
    const urls = Object.fromEntries(SUBGRAPHS.map((name) => [name, `${hub.subgraph(name).url}/graphql`]));
    const customerId = world.customers.find((c) => world.orders.filter((o) => o.customerId === c.id).length >= 3)!.id;
    const callers: Record<string, Identity> = {
      internal: { subject: 'test-client', scopes: READ_SCOPES, customerId: null, channel: null },
      customer: { subject: 'test-client', scopes: READ_SCOPES, customerId, channel: null },
    };
    for (const [caller, identity] of Object.entries(callers)) {
      stock[caller] = await startStockGateway(supergraphSdl, { urls, signAs: { identity, subgraphSecret: hub.subgraphSecret } });
      bearer[caller] = await hub.token({ scopes: [...identity.scopes], ...(identity.customerId ? { customerId: identity.customerId } : {}) });
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(stock).map((s) => s.stop()));
    await hub?.stop();
  });

  async function compare(caller: string, operation: Operation): Promise<ReturnType<typeof comparableAnswer>> {
    const stockAnswer = await comparableAnswer(stock[caller]!.url, operation);
    const crossdockAnswer = await comparableAnswer(`${hub.gatewayUrl}/graphql`, operation, { authorization: `Bearer ${bearer[caller]}` });
    expectSameAnswer(crossdockAnswer, stockAnswer);
    return stockAnswer;
  }

  it('answers every contract query as stock @apollo/gateway does, for an internal and a customer caller', async () => {
    for (const caller of ['internal', 'customer']) {
      for (const [name, operation] of Object.entries(queries)) {
        const answer = await compare(caller, operation).catch((error: unknown) => {
          throw new Error(`${caller}: ${name}: ${error instanceof Error ? error.message : String(error)}`);
        });
        if (name !== 'page size refused' && name !== 'unknown ids') expect(answer.data).not.toBeNull();
      }
    }
  });

  it('fails the same way with the shipping subgraph down: same partial data, same errors and paths', async () => {
    await hub.subgraph('shipping').stop();
    let failed = 0;
    for (const [name, operation] of Object.entries(queries)) {
      const answer = await compare('internal', operation).catch((error: unknown) => {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (answer.errors?.some((e) => e.message.includes('ECONNREFUSED'))) failed++;
    }
    expect(failed).toBeGreaterThanOrEqual(3); // the unified view, the customer's orders, the shipment
  });
});
