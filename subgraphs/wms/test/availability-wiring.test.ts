import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WmsHttpConnector } from '@crossdock/connectors';
import { encodeEvent, RedisEventStreams, streamKey } from '@crossdock/events';
import { MongoExceptionStore } from '@crossdock/exceptions';
import { availableOf } from '@crossdock/model';
import { RedisReservationStore, StockReservations } from '@crossdock/reservations';
import { createLogger, type RunningService } from '@crossdock/service';
import { startCommerceSimulator, startWmsSimulator, type RunningSimulator } from '@crossdock/simulators';
import { RedisAckBoard } from '@crossdock/availability';
import { repoRoot, startFerretDb, startRedis, type BackingService } from '@crossdock/testkit';
import { connectAvailability, startWmsSubgraph } from '../src/server';

jest.setTimeout(120_000);

const SKU = 'SKU-00077';
const MARKET = { channel: 'marketplace', sharePercent: 100, rateLimit: { requestsPerSecond: 200, burst: 50 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_BACKEND_URL', name: 'tradewind-market' } };

/**
 * The feeds as the WMS subgraph's main wires them (connectAvailability, then startWmsSubgraph),
 * on a real Redis (reservations, their expiry events, the bus, the lease), FerretDB and simulators.
 */
describe('available-to-sell wiring of the WMS subgraph', () => {
  let redis: BackingService;
  let ferret: BackingService;
  let wmsSim: RunningSimulator;
  let commerceSim: RunningSimulator;
  let reservations: RedisReservationStore;
  let streams: RedisEventStreams;
  let exceptions: MongoExceptionStore;
  let wired: Awaited<ReturnType<typeof connectAvailability>>;
  let service: RunningService;
  let connector: WmsHttpConnector;
  let rulesDir: string;
  /** A second replica of the subgraph, started by the test that needs it. */
  const replicas: { service: RunningService; wired: Awaited<ReturnType<typeof connectAvailability>> }[] = [];
  const env = () => ({
    AVAILABILITY_RULES_DIR: rulesDir,
    AVAILABILITY_PARTNERS_DIR: join(repoRoot(), 'config', 'partners'),
    AVAILABILITY_COALESCE_MS: '100',
    AVAILABILITY_LEASE_MS: '1000',
    COMMERCE_BACKEND_URL: commerceSim.url,
  });
  /** One WMS subgraph replica as its main starts it, on the shared Redis, FerretDB and simulators (`board`: another acknowledgements board). */
  const startReplica = async (options: { board?: RedisAckBoard } = {}) => {
    const connected = await connectAvailability({ env: env(), mongoUrl: ferret.url, redisUrl: redis.url, exceptions, reservations });
    const wired = connected && options.board ? { ...connected, options: { ...connected.options, board: options.board } } : connected;
    const started = await startWmsSubgraph({
      port: 0,
      host: '127.0.0.1',
      connector,
      subgraphSecret: null,
      logger: createLogger('wms-availability-test', 'silent'),
      reservations,
      events: { streams, webhookSecret: 'a-webhook-secret-for-this-test', exceptions },
      availability: wired?.options ?? null,
    });
    return { service: started, wired };
  };

  beforeAll(async () => {
    [redis, ferret, wmsSim, commerceSim] = await Promise.all([startRedis(), startFerretDb(), startWmsSimulator({ port: 0 }), startCommerceSimulator({ port: 0 })]);
    rulesDir = mkdtempSync(join(tmpdir(), 'crossdock-wms-availability-'));
    writeFileSync(join(rulesDir, 'marketplace.json'), JSON.stringify(MARKET));
    reservations = await RedisReservationStore.connect({ url: redis.url });
    streams = await RedisEventStreams.connect({ url: redis.url, retention: { maxLength: 10_000 } });
    exceptions = await MongoExceptionStore.connect(ferret.url);
    connector = new WmsHttpConnector({ baseUrl: wmsSim.url });
    ({ service, wired } = await startReplica());
  });
  afterAll(async () => {
    for (const replica of replicas.splice(0)) {
      await replica.service.close();
      await replica.wired?.close();
    }
    await service?.close();
    await wired?.close();
    await connector?.close();
    await Promise.all([reservations?.close(), streams?.close(), exceptions?.close()]);
    await Promise.all([wmsSim?.close(), commerceSim?.close(), redis?.stop(), ferret?.stop()]);
    rmSync(rulesDir, { recursive: true, force: true });
  });

  const listed = async (sku = SKU): Promise<number | undefined> => {
    const view = (await (await fetch(`${commerceSim.url}/_admin/channel-inventory`)).json()) as { marketplaces: Record<string, { sku: string; quantity: number }[]> }; // the simulator's documented admin shape
    return view.marketplaces['tradewind-market']?.find((l) => l.sku === sku)?.quantity;
  };
  const listedAs = async (quantity: number, what: string, sku = SKU): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while ((await listed(sku)) !== quantity) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: listed ${String(await listed(sku))}, expected ${quantity}`);
      await sleep(100);
    }
  };
  /** A GraphQL request to one replica, as the gateway would send it (all-in-one: no signed identity). */
  const graphql = async <T>(replica: RunningService, query: string): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> => {
    const response = await fetch(`${replica.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }; // a GraphQL response
  };

  it('gives a reservation the WMS never confirmed back to every channel when it expires', async () => {
    expect(wired).not.toBeNull();
    const positions = (await connector.positionsBySkus([SKU]))[0] ?? [];
    const atp = positions.reduce((sum, p) => sum + availableOf(p), 0);
    const warehouse = positions.find((p) => availableOf(p) >= 5)?.warehouseId;
    if (!warehouse) throw new Error(`${SKU} has no warehouse with 5 units to reserve`);

    // Order capture reserves (pending: the WMS has not confirmed) and announces the placed order.
    const stock = new StockReservations({ store: reservations, loadStock: async (skus) => (await connector.positionsBySkus(skus)).flat(), rule: 'priority-split', holdMs: 1000 });
    const reserved = await stock.reserve('ORD-EXPIRY-1', [{ lineNumber: 1, sku: SKU, quantity: 5 }], [warehouse]);
    expect(reserved.status).toBe('reserved');
    const order = { id: 'ORD-EXPIRY-1', channel: 'web', externalRef: null, status: 'ACCEPTED' as const, placedAt: new Date().toISOString(), customerId: 'CUST-0001', lines: [{ orderId: 'ORD-EXPIRY-1', lineNumber: 1, sku: SKU, quantity: 5 }] };
    await streams.append(streamKey('orders'), encodeEvent({ type: 'order.status-changed', order, previousStatus: null, cause: 'placed', at: new Date().toISOString() }));
    await listedAs(atp - 5, 'the reservation to lower the listing');

    // Nobody confirms it; the expiry sweep releases it, and that alone must move the channels.
    await sleep(1100);
    expect(await stock.sweepExpired()).toEqual(['ORD-EXPIRY-1']);
    await listedAs(atp, 'the expired reservation to be given back to the listing');
  });

  it('answers availableToSell and resyncChannelAvailability alike on every replica, leading or not', async () => {
    const sku = 'SKU-00078';
    replicas.push(await startReplica());
    const both = [service, ...replicas.map((r) => r.service)];
    // A receipt in the WMS, announced on the bus as the WMS subgraph announces it.
    const response = await fetch(`${wmsSim.url}/_admin/adjust`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku, warehouseId: 'WH-EAST', delta: 17 }) });
    expect(response.status).toBe(200);
    const position = (await connector.positionsBySkus([sku]))[0]?.find((p) => p.warehouseId === 'WH-EAST');
    if (!position) throw new Error(`no position of ${sku} in WH-EAST`);
    await streams.append(streamKey('inventory'), encodeEvent({ type: 'inventory.changed', movementId: `m-${Date.now()}`, movementType: 'ADJUST', delta: 17, reservedDelta: 0, orderId: null, position, at: new Date().toISOString() }));
    const atp = ((await connector.positionsBySkus([sku]))[0] ?? []).reduce((sum, p) => sum + availableOf(p), 0);
    await listedAs(atp, 'the receipt to reach the marketplace', sku);

    type Row = { quantity: number; acknowledged: number | null; drifting: boolean };
    const rowsOn = async (replica: RunningService): Promise<Row[]> => {
      const body = await graphql<{ _entities: { availableToSell: Row[] }[] }>(
        replica,
        `{ _entities(representations: [{ __typename: "Product", sku: "${sku}" }]) { ... on Product { availableToSell(channel: "marketplace") { quantity acknowledged drifting } } } }`,
      );
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      return body.data._entities[0]?.availableToSell ?? [];
    };
    // Both replicas, the one leading the feeds and the other, answer the acknowledged figure.
    const deadline = Date.now() + 10_000;
    let answers: Row[][] = [];
    do {
      answers = await Promise.all(both.map(rowsOn));
      if (answers.every((rows) => rows[0]?.acknowledged === atp)) break;
      await sleep(100);
    } while (Date.now() < deadline);
    expect(answers).toEqual([[{ quantity: atp, acknowledged: atp, drifting: false }], [{ quantity: atp, acknowledged: atp, drifting: false }]]);

    // An operator's resync lands on either replica and starts on the leader; each answers its run.
    const store = wired?.options.store;
    for (const replica of both) {
      const body = await graphql<{ resyncChannelAvailability: { channel: string; runId: string; skus: number } }>(replica, 'mutation { resyncChannelAvailability(channel: "marketplace") { channel runId skus } }');
      expect(body.errors).toBeUndefined();
      expect(body.data?.resyncChannelAvailability).toMatchObject({ channel: 'marketplace' });
      expect(body.data?.resyncChannelAvailability.skus).toBeGreaterThan(0);
      expect((await store?.checkpoint('marketplace'))?.runId).toBe(body.data?.resyncChannelAvailability.runId);
    }
  });

  it('fails availableToSell with a clear error, not a false drift, while the acknowledgements cannot be read', async () => {
    const sku = 'SKU-00078';
    // A replica whose board lives on a Redis of its own, which then goes away.
    const boardRedis = await startRedis();
    const board = await RedisAckBoard.connect({ url: boardRedis.url, onConnectionError: () => undefined });
    const replica = await startReplica({ board });
    replicas.push(replica);
    const query = `{ _entities(representations: [{ __typename: "Product", sku: "${sku}" }]) { ... on Product { availableToSell(channel: "marketplace") { quantity acknowledged } } } }`;
    try {
      const served = await graphql<{ _entities: { availableToSell: { quantity: number }[] }[] }>(replica.service, query);
      expect(served.errors).toBeUndefined();
      expect(served.data?._entities[0]?.availableToSell.length).toBe(1);
      await boardRedis.kill();
      const failed = await graphql(replica.service, query);
      expect(failed.errors?.[0]?.extensions?.code).toBe('AVAILABILITY_ACKS_UNAVAILABLE');
      expect(failed.errors?.[0]?.message).toMatch(/acknowledged cannot be read/);
    } finally {
      await boardRedis.restart();
      await replica.service.close();
      replicas.splice(replicas.indexOf(replica), 1);
      await board.close();
      await replica.wired?.close();
      await boardRedis.stop();
    }
  });
});
