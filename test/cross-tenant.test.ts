import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import { startHubStack, SUBGRAPHS, READ_SCOPES, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphQLSchema } from 'graphql';
import { eventually, freshKey, place, world } from './support/order-capture-kit';
import { clientFields, loadSupergraph, rootOperation, type WalkOptions } from './support/schema-walk';
import { nestedArguments, rootArgumentSets } from './support/tenant-arguments';
import { channelTenant, collectRecords, customerTenant, emptyRecords, leaksOf, type HubOrder, type Tenant } from './support/tenants';

/**
 * Row-level isolation (CONTRACT.md, Auth; issue 6, item 7), generated from the composed schema:
 * every Query field, with every object field below it to a bounded depth, asked by each of two
 * customer portals and two channel partners, with the other's ids as arguments too; no record of
 * the other may appear anywhere in an answer. Subscriptions are not in the graph yet; when they
 * are, they need the same walk over their events.
 */

const WALK: WalkOptions = { depth: 6, maxRepeats: 2, nestedArguments };
const SCOPES = [...READ_SCOPES, 'ops:admin'];

/**
 * The walk asks deliberately wide and deep operations, many of them, all as one subject; portal
 * and partner limits (which have tests of their own) would refuse them before any row rule is
 * reached. They are lifted for this gateway only; every row rule still applies.
 */
const WALK_LIMITS = {
  classes: Object.fromEntries(
    ['portal', 'partner'].map((name) => [name, { maxDepth: 20, maxAliases: 50, maxTokens: 20_000, maxBodyBytes: 1_000_000, maxCost: 1_000_000, rateLimit: null }]),
  ),
};

/** Two customers in good standing with shipped and invoiced orders, and two channels. */
const [customerA, customerB] = world.customers.filter((c) => !c.onHold && c.creditLimitCents - c.creditUsedCents > 1_000_000).map((c) => c.id);
const [channelA, channelB] = ['web', 'edi'] as const;

/** Nulls the gateway had to propagate (a non-null field missing from a subgraph's answer). */
function valueCompletionOf(extensions: Record<string, unknown> | undefined): { path?: unknown; message: string }[] {
  const entries: unknown = extensions?.valueCompletion;
  if (!Array.isArray(entries)) return [];
  return entries.map((entry: unknown) => {
    const fields = new Map(typeof entry === 'object' && entry !== null ? Object.entries(entry) : []);
    return { path: fields.get('path'), message: String(fields.get('message') ?? JSON.stringify(entry)) };
  });
}

describe('cross-tenant isolation through the gateway, generated from the supergraph', () => {
  let hub: HubStack;
  let schema: GraphQLSchema;
  const pairs: [Tenant, Tenant][] = [];
  const limitsDir = mkdtempSync(join(tmpdir(), 'cross-tenant-'));

  /** Places one hub order per customer (each in its own channel) and waits until the ERP and the WMS hold it. */
  async function placeHubOrders(): Promise<HubOrder[]> {
    const writer = await hub.token({ scopes: ['orders:write', 'orders:read'] });
    const wanted = [
      { customerId: customerA!, channel: channelA },
      { customerId: customerB!, channel: channelB },
    ];
    const placed = await Promise.all(
      wanted.map(async (owner, i) => {
        const answer = await place(hub.query, writer, { idempotencyKey: freshKey('cross-tenant'), ...owner, lines: [{ sku: world.products.filter((p) => p.sellable)[i]!.sku, quantity: 1 }] });
        if (!answer.order) throw new Error(`placeOrder refused: ${JSON.stringify(answer.errors)}`);
        return { id: answer.order.id, ...owner };
      }),
    );
    for (const order of placed) {
      await eventually(`${order.id} posted to the ERP and the WMS`, async () => {
        const { body } = await hub.query<{ order: { erpPosting: string; fulfillmentStatus: string } | null }>('query($id: ID!) { order(id: $id) { erpPosting fulfillmentStatus } }', { id: order.id });
        return body.data?.order?.erpPosting === 'POSTED' && body.data.order.fulfillmentStatus === 'ALLOCATED' ? true : null;
      });
    }
    return placed;
  }

  beforeAll(async () => {
    schema = loadSupergraph();
    const limitsPath = join(limitsDir, 'limits.json');
    writeFileSync(limitsPath, JSON.stringify(WALK_LIMITS));
    hub = await startHubStack({ serviceEnv: { gateway: { GATEWAY_LIMITS_PATH: limitsPath } } });
    const hubOrders = await placeHubOrders();
    const customers = [customerTenant(world, customerA!, hubOrders), customerTenant(world, customerB!, hubOrders)] as const;
    const channels = [channelTenant(world, channelA, hubOrders), channelTenant(world, channelB, hubOrders)] as const;
    pairs.push([customers[0], customers[1]], [customers[1], customers[0]], [channels[0], channels[1]], [channels[1], channels[0]]);
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    rmSync(limitsDir, { recursive: true, force: true });
  });

  const tokenOf = (tenant: Tenant, scopes = SCOPES) => hub.token({ scopes, ...tenant.claims });

  it.each([0, 1, 2, 3])('tenant pair %i: no Query field, on any path below it, shows a record of the other tenant', async (index) => {
    const [own, other] = pairs[index]!;
    const token = await tokenOf(own);
    const leaks: string[] = [];
    const seen = emptyRecords();
    const queryType = schema.getQueryType()!;
    for (const field of clientFields(queryType)) {
      // Shallow too: a record then shows itself before any field below it could fail.
      const walks = [{ ...WALK, depth: 0 }, WALK];
      for (const [args, walk] of rootArgumentSets('Query', field, own, other).flatMap((set) => walks.map((w) => [set, w] as const))) {
        const operation = rootOperation(schema, 'Query', field.name, args, walk);
        const { status, body } = await hub.query(operation.query, operation.variables, token);
        // A refused operation (limits, validation) would prove nothing: say why it was refused.
        expect({ field: field.name, args, status, refused: status === 200 ? [] : body.errors }).toEqual({ field: field.name, args, status: 200, refused: [] });
        for (const leak of leaksOf({ data: body.data, extensions: body.extensions }, other)) leaks.push(`${own.label}: Query.${field.name}(${JSON.stringify(args)}) shows ${other.label}'s ${leak}`);
        collectRecords(body.data, seen);
        // Any error but a refused scope means the subgraphs disagree about a record (one serves
        // it, another calls it not found): a non-null field then nulls its parent, which would
        // hide a leak from the search above. The gateway reports those nulls as
        // `extensions.valueCompletion`, not as errors. Neither is accepted.
        const unexpected = [...(body.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN'), ...valueCompletionOf(body.extensions)];
        for (const error of unexpected) leaks.push(`${own.label}: Query.${field.name}(${JSON.stringify(args)}) failed at ${JSON.stringify(error.path)}: ${error.message}`);
      }
    }
    expect(leaks).toEqual([]);
    // The walk reached real data, or it proved nothing: the tenant's own records of every kind were served.
    expect([...seen.orders].filter((id) => own.orders.has(id)).length).toBeGreaterThan(1);
    expect(seen.orders).toContain(own.sample.hubOrder);
    expect(seen.shipments).toContain(own.sample.shipment);
    expect([...seen.invoices].filter((id) => own.invoices.has(id)).length).toBeGreaterThan(0);
    expect(seen.customers).toContain(own.sample.customer);
  });

  it.each([0, 2])("answers the other tenant's record exactly as a record that does not exist (pair %i)", async (index) => {
    const [own, other] = pairs[index]!;
    const token = await tokenOf(own);
    const probes = [
      { query: 'query($id: ID!) { order(id: $id) { id } }', foreign: other.sample.order, unknown: 'ORD-999999' },
      { query: 'query($id: ID!) { order(id: $id) { id } }', foreign: other.sample.hubOrder, unknown: 'ORD-H20990101-NOSUCH00' },
      { query: 'query($id: ID!) { shipment(id: $id) { id } }', foreign: other.sample.shipment, unknown: 'SHP-999999' },
      ...(own.claims.customerId ? [{ query: 'query($id: ID!) { customer(id: $id) { id } }', foreign: other.sample.customer, unknown: 'CUST-9999' }] : []),
    ];
    for (const probe of probes) {
      const [foreign, unknown] = await Promise.all([hub.query(probe.query, { id: probe.foreign }, token), hub.query(probe.query, { id: probe.unknown }, token)]);
      expect({ status: foreign.status, body: foreign.body }).toEqual({ status: unknown.status, body: unknown.body });
    }
  });

  it.each([0, 2])("cannot cancel the other tenant's order, nor place one for it (pair %i)", async (index) => {
    const [own, other] = pairs[index]!;
    const token = await tokenOf(own, [...SCOPES, 'orders:write']);
    const cancel = await hub.query('mutation($id: ID!) { cancelOrder(id: $id, reason: "cross-tenant") { order { id status } errors { code } } }', { id: other.sample.hubOrder }, token);
    expect(leaksOf(cancel.body, other)).toEqual([]);
    expect(cancel.body).toEqual({ data: { cancelOrder: { order: null, errors: [{ code: expect.any(String) }] } } });
    const input = { idempotencyKey: freshKey('cross-tenant-place'), channel: other.sample.channel, customerId: other.sample.customer, lines: [{ sku: own.sample.sku, quantity: 1 }] };
    const placed = await hub.query<{ placeOrder: { order: unknown } }>('mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }', { input }, token);
    expect(placed.body.data?.placeOrder.order).toBeNull();
    const after = await hub.query<{ order: { status: string } }>('query($id: ID!) { order(id: $id) { status } }', { id: other.sample.hubOrder });
    expect(after.body.data?.order.status).not.toBe('CANCELLED');
  });

  it('keeps `_entities` and `_service` out of the gateway: they are not in its API schema', async () => {
    const token = await tokenOf(pairs[0]![0]);
    for (const query of [`{ _entities(representations: [{ __typename: "Order", id: "${pairs[0]![1].sample.order}" }]) { __typename } }`, '{ _service { sdl } }']) {
      const { status, body } = await hub.query(query, {}, token);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it.each(SUBGRAPHS)('the %s subgraph refuses `_entities` with a forged or missing identity signature: 401', async (name) => {
    const other = pairs[0]![1];
    const representations = [
      { __typename: 'Order', id: other.sample.order },
      { __typename: 'Customer', id: other.sample.customer },
    ];
    const body = JSON.stringify({ query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: representations } });
    // Everything about the header is right except the key it was signed with.
    const forged = signIdentity({ subject: 'intruder', scopes: SCOPES, customerId: null, channel: null }, randomBytes(24).toString('hex'));
    const attempts: Record<string, string>[] = [{ [IDENTITY_HEADER]: forged }, {}];
    for (const headers of attempts) {
      const response = await fetch(`${hub.subgraph(name).url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const answer = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect({ status: response.status, code: answer.errors?.[0]?.extensions?.code, data: answer.data }).toEqual({ status: 401, code: 'UNAUTHENTICATED', data: undefined });
    }
  });
});
