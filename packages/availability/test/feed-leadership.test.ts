import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { encodeEvent, RedisEventStreams, streamKey } from '@crossdock/events';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { createClient } from 'redis';
import { channelFigures, loadChannelRules, positionAtp, RedisAckBoard, RedisLeaseStore, ResyncQueuedError, WHOLE_CHANNEL, type AvailabilityRunner, type ChannelRules } from '../src';
import { eventually, useFeedWorld } from './feed-world';

jest.setTimeout(180_000);
const world = useFeedWorld();
let redis: BackingService | undefined;
let tests = 0;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const resource of opened.splice(0)) await resource.close().catch(() => undefined);
  await redis?.stop();
});

const MARKET = { channel: 'marketplace', sharePercent: 40, rateLimit: { requestsPerSecond: 200, burst: 50 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_URL', name: 'tradewind-market' } };
const EDI = { channel: 'edi', sharePercent: 20, rateLimit: { requestsPerSecond: 200, burst: 50 }, connector: { kind: 'edi-846', urlEnv: 'COMMERCE_URL', partner: 'acme-retail' } };

/** A rules folder with these files, removed after the run. */
function rulesFolder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-rules-'));
  for (const [name, rules] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(rules));
  opened.push({ close: async () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

async function redisUrl(): Promise<string> {
  if (!redis) throw new Error('redis-server did not start');
  return redis.url;
}

/** What the marketplace should list for a SKU now under these rules. */
async function expectedListing(rules: readonly ChannelRules[], sku: string): Promise<number | undefined> {
  const connector = world.wms();
  const atp = (await positionAtp({ positions: (skus) => connector.positionsBySkus(skus), pending: null }).read([sku])).get(sku) ?? new Map();
  const market = rules.find((r) => r.channel === 'marketplace');
  return market ? channelFigures(market, sku, atp)[0]?.quantity : undefined;
}

async function listing(sku: string): Promise<number | undefined> {
  return (await world.channelInventory()).marketplaces['tradewind-market']?.find((l) => l.sku === sku)?.quantity;
}

async function listedAsExpected(rules: readonly ChannelRules[], sku: string, what: string, timeoutMs?: number): Promise<number> {
  return eventually(
    async () => {
      const [shown, expected] = await Promise.all([listing(sku), expectedListing(rules, sku)]);
      return shown !== undefined && shown === expected ? shown : undefined;
    },
    what,
    timeoutMs,
  );
}

/** A client of this file's Redis for what the test itself does there (a foreign lease, a pause). */
async function adminClient() {
  const client = createClient({ url: await redisUrl() });
  client.on('error', () => undefined);
  await client.connect();
  opened.push({ close: () => client.close() });
  return client;
}

const leaseKey = () => `test:${tests}:availability:leader`;

describe('one WMS replica pushes: the feeds\' lease in Redis (real Redis, FerretDB, simulators)', () => {
  /**
   * A replica: its own lease client, acknowledgements board and bus connection, one lease key and
   * keyspace per test. `pushedAt` hears when each of its requests went out.
   */
  async function replica(name: string, rules: ChannelRules[], pushes: Map<string, number>, options: { ttlMs: number; resyncWaitMs?: number; pushedAt?: number[] }) {
    const url = await redisUrl();
    const lease = await RedisLeaseStore.connect({ url, onConnectionError: () => undefined });
    const board = await RedisAckBoard.connect({ url, keyPrefix: `test:${tests}:acks:`, onConnectionError: () => undefined });
    const streams = await RedisEventStreams.connect({ url, retention: { maxLength: 10_000 }, onConnectionError: () => undefined });
    opened.push(lease, board, streams);
    const runner = await world.startRunner(rules, {
      lease: { store: lease, key: leaseKey(), owner: name, ttlMs: options.ttlMs, renewEveryMs: Math.floor(options.ttlMs / 4) },
      board,
      streams,
      consumer: name,
      resyncStreams: { requests: `test:${tests}:resync-requests`, answers: `test:${tests}:resync-answers` },
      resyncWaitMs: options.resyncWaitMs,
      observer: {
        pushed: (_channel, items) => {
          options.pushedAt?.push(Date.now());
          pushes.set(name, (pushes.get(name) ?? 0) + items);
        },
      },
    });
    return { runner, lease, streams };
  }

  /** What a replica answers the marketplace acknowledged for a SKU (null: nothing yet). */
  const acknowledgedOn = async (runner: AvailabilityRunner, sku: string) => (await runner.acknowledged([{ channel: 'marketplace', sku, location: WHOLE_CHANNEL }]))[0]?.quantity ?? null;

  /** A stock movement as the WMS subgraph appends it to the bus. */
  async function announce(streams: RedisEventStreams, sku: string, warehouseId: string, delta: number): Promise<void> {
    await world.adjust(sku, warehouseId, delta);
    const position = (await world.wms().positionsBySkus([sku]))[0]?.find((p) => p.warehouseId === warehouseId);
    if (!position) throw new Error(`no position of ${sku} in ${warehouseId}`);
    const event = { type: 'inventory.changed' as const, movementId: `m-${Date.now()}-${Math.random()}`, movementType: 'ADJUST' as const, delta, reservedDelta: 0, orderId: null, position, at: new Date().toISOString() };
    await streams.append(streamKey('inventory'), encodeEvent(event));
  }

  const leader = (runners: AvailabilityRunner[]) => runners.filter((r) => r.leading());

  it('runs the feeds on one replica only; when the leader stops, the other takes over and the channel ends with the latest value', async () => {
    tests += 1;
    const rules = loadChannelRules(rulesFolder({ 'marketplace.json': MARKET }));
    const pushes = new Map<string, number>();
    const a = await replica('replica-a', rules, pushes, { ttlMs: 2000 });
    const b = await replica('replica-b', rules, pushes, { ttlMs: 2000 });
    await eventually(async () => (leader([a.runner, b.runner]).length === 1 ? true : undefined), 'one replica to lead');
    const [first] = leader([a.runner, b.runner]);
    const [name, other, otherName] = first === a.runner ? ['replica-a', b, 'replica-b'] : ['replica-b', a, 'replica-a'];
    expect(other.runner.feed('marketplace')).toBeNull();

    await announce(a.streams, 'SKU-00131', 'WH-EAST', 30);
    const shown = await listedAsExpected(rules, 'SKU-00131', 'the leader to push the receipt');
    // Both replicas answer what the marketplace acknowledged: the follower has no feed of its own.
    await eventually(async () => ((await acknowledgedOn(other.runner, 'SKU-00131')) === shown ? true : undefined), 'the follower to see the acknowledgement');
    expect(await acknowledgedOn(first ?? other.runner, 'SKU-00131')).toBe(shown);

    // A resync asked on the follower is started by the leader, and the follower answers its run.
    const asked = await other.runner.resync('marketplace', 'operator-on-follower');
    expect(asked).toMatchObject({ channel: 'marketplace', requestedBy: 'operator-on-follower', finishedAt: null });
    expect((await first?.current()?.resyncStatus('marketplace'))?.runId).toBe(asked.runId);
    await eventually(async () => ((await first?.current()?.resyncStatus('marketplace'))?.finishedAt ? true : undefined), 'the leader to finish the resync');
    // Several lease rounds: the follower never takes the lease nor pushes.
    await sleep(1500);
    expect(leader([a.runner, b.runner])).toEqual([first]);
    expect(pushes.get(name)).toBeGreaterThan(0);
    expect(pushes.get(otherName) ?? 0).toBe(0);

    // The leader stops (a deploy): it gives the lease up and the other replica takes over.
    await first?.stop();
    await eventually(async () => (other.runner.leading() ? true : undefined), 'the other replica to take over', 10_000);
    await announce(other.streams, 'SKU-00131', 'WH-CENTRAL', 11);
    await announce(other.streams, 'SKU-00131', 'WH-EAST', -7);
    await listedAsExpected(rules, 'SKU-00131', 'the new leader to push the latest figure');
    expect(pushes.get(otherName)).toBeGreaterThan(0);
  });

  it('moves the feeds to another replica within a few seconds when the holder dies, and a holder cut off from Redis stops pushing', async () => {
    tests += 1;
    const rules = loadChannelRules(rulesFolder({ 'marketplace.json': MARKET }));
    const pushes = new Map<string, number>();
    const a = await replica('replica-a', rules, pushes, { ttlMs: 2000 });
    await eventually(async () => (a.runner.leading() ? true : undefined), 'replica a to lead');
    const b = await replica('replica-b', rules, pushes, { ttlMs: 2000 });
    await announce(b.streams, 'SKU-00132', 'WH-EAST', 25);
    await listedAsExpected(rules, 'SKU-00132', 'the leader to push the receipt');

    // Replica a loses Redis as a dead process would: no renewal, no release. Sampled throughout:
    // the two never run the feeds at the same time (the holder stops before its lease can run out).
    let both = 0;
    const sampler = setInterval(() => (both += leader([a.runner, b.runner]).length > 1 ? 1 : 0), 10);
    await a.lease.close();
    await eventually(async () => (!a.runner.leading() ? true : undefined), 'the cut-off holder to stop its feeds', 10_000);
    await eventually(async () => (b.runner.leading() ? true : undefined), 'replica b to take over after the lease ran out', 10_000);
    clearInterval(sampler);
    expect(both).toBe(0);
    expect(leader([a.runner, b.runner])).toEqual([b.runner]);
    // Changes made while nobody led (and after) reach the channel: the bus keeps them for the group.
    await announce(b.streams, 'SKU-00132', 'WH-CENTRAL', 9);
    await announce(b.streams, 'SKU-00132', 'WH-EAST', -4);
    await listedAsExpected(rules, 'SKU-00132', 'the new leader to push the latest figure');
    const before = pushes.get('replica-a') ?? 0;
    await announce(b.streams, 'SKU-00132', 'WH-EAST', 3);
    await listedAsExpected(rules, 'SKU-00132', 'the latest figure after the takeover');
    expect(pushes.get('replica-a') ?? 0).toBe(before);
  });

  it('queues a resync asked while no replica leads, and the next leader starts it', async () => {
    tests += 1;
    const rules = loadChannelRules(rulesFolder({ 'marketplace.json': MARKET }));
    // Another process holds the lease (a leader that just died): nobody serves requests until it runs out.
    const admin = await adminClient();
    await admin.set(leaseKey(), 'a-replica-that-died', { expiration: { type: 'PX', value: 3000 } });
    const b = await replica('replica-b', rules, new Map(), { ttlMs: 2000, resyncWaitMs: 500 });
    expect(b.runner.leading()).toBe(false);
    const refused = await b.runner.resync('marketplace', 'operator-while-nobody-leads').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ResyncQueuedError);
    expect(refused instanceof ResyncQueuedError ? refused.message : '').toMatch(/queued/);
    await eventually(async () => (b.runner.leading() ? true : undefined), 'replica b to take the lease once it ran out', 10_000);
    const run = await eventually(async () => {
      const status = await b.runner.current()?.resyncStatus('marketplace');
      return status?.requestedBy === 'operator-while-nobody-leads' ? status : undefined;
    }, 'the new leader to start the queued resync');
    expect(run.channel).toBe('marketplace');
  });

  it('fences a stalled leader: while its renewal hangs, it stops pushing before its lease can run out, and resumes once renewed', async () => {
    tests += 1;
    const rules = loadChannelRules(rulesFolder({ 'marketplace.json': MARKET }));
    const pushedAt: number[] = [];
    const ttlMs = 2000;
    const renewEveryMs = ttlMs / 4;
    const a = await replica('replica-a', rules, new Map(), { ttlMs, pushedAt });
    await eventually(async () => (a.runner.leading() ? true : undefined), 'replica a to lead');
    const change = async (delta: number) => {
      await world.adjust('SKU-00134', 'WH-EAST', delta);
      await a.runner.current()?.engine.touch(['SKU-00134']);
    };
    await change(30);
    await listedAsExpected(rules, 'SKU-00134', 'the leader to push the receipt');

    // Redis stops answering (CLIENT PAUSE: the lease cannot run out meanwhile either): the
    // renewal hangs, so the replica still believes it leads and its feeds keep running.
    const admin = await adminClient();
    const pausedAt = Date.now();
    await admin.sendCommand(['CLIENT', 'PAUSE', '5000', 'ALL']);
    await change(5);
    await sleep(pausedAt + ttlMs - Date.now());
    // Past any lease it can have renewed: this change must wait for a renewal.
    const waiting = await listing('SKU-00134');
    await change(7);
    await sleep(pausedAt + 4000 - Date.now());
    expect(a.runner.leading()).toBe(true);
    expect(await listing('SKU-00134')).toBe(waiting);
    const last = Math.max(...pushedAt);
    // Every request went out while the last renewal sent before the pause still held, a period to spare.
    expect(last).toBeLessThan(pausedAt + ttlMs - renewEveryMs + 50);

    // Redis answers again: the renewal goes through and the change that waited is pushed.
    const after = await listedAsExpected(rules, 'SKU-00134', 'the renewed leader to push the change that waited');
    expect(after).not.toBe(waiting);
    expect(Math.max(...pushedAt)).toBeGreaterThan(pausedAt + 5000);
  });
});

describe('channel rules reloaded without a restart', () => {
  it('applies a changed rules file: the changed channel is recomputed and pushed; an invalid file is refused and the old rules stay', async () => {
    const dir = rulesFolder({ 'marketplace.json': MARKET, 'edi.json': EDI });
    const outcomes: ({ applied: true; channels: string[] } | { applied: false; error: Error })[] = [];
    const rules = loadChannelRules(dir);
    const runner = await world.startRunner(rules, { lease: null, rulesDir: dir, reloadDebounceMs: 100, onRulesChange: (outcome) => outcomes.push(outcome) });
    await world.adjust('SKU-00133', 'WH-EAST', 50);
    await runner.current()?.engine.touch(['SKU-00133']);
    const before = await listedAsExpected(rules, 'SKU-00133', 'the first figure');

    writeFileSync(join(dir, 'marketplace.json'), JSON.stringify({ ...MARKET, sharePercent: 70, bufferUnits: 1 }));
    await eventually(async () => (outcomes.length > 0 ? true : undefined), 'the rules change to be applied');
    expect(outcomes).toEqual([{ applied: true, channels: ['marketplace'] }]);
    const changed = loadChannelRules(dir);
    expect(runner.rules('marketplace')?.sharePercent).toBe(70);
    const after = await listedAsExpected(changed, 'SKU-00133', 'the marketplace to get the figure under the new rules');
    expect(after).not.toBe(before);

    // Shares over 100 %: refused with the reason, the running rules unchanged.
    writeFileSync(join(dir, 'marketplace.json'), JSON.stringify({ ...MARKET, sharePercent: 90 }));
    await eventually(async () => (outcomes.length > 1 ? true : undefined), 'the bad rules to be refused');
    const refused = outcomes[1];
    expect(refused?.applied).toBe(false);
    expect(refused && !refused.applied ? refused.error.message : '').toMatch(/promise more than the stock/);
    expect(runner.rules('marketplace')?.sharePercent).toBe(70);
    // Not JSON at all: refused naming the file.
    writeFileSync(join(dir, 'edi.json'), '{ "channel": "edi", ');
    await eventually(async () => (outcomes.length > 2 ? true : undefined), 'the broken file to be refused');
    const broken = outcomes[2];
    expect(broken && !broken.applied ? broken.error.message : '').toMatch(/edi\.json: not valid JSON/);
    expect(runner.rules('edi')).toEqual(rules.find((r) => r.channel === 'edi'));
    // The feeds still run under the last good rules.
    await world.adjust('SKU-00133', 'WH-EAST', -20);
    await runner.current()?.engine.touch(['SKU-00133']);
    await listedAsExpected(changed, 'SKU-00133', 'pushes under the last good rules');
    expect(isDeepStrictEqual(runner.rules('marketplace'), changed.find((r) => r.channel === 'marketplace'))).toBe(true);
  });

  it('recomputes the changed channel once the feeds restart with the new rules, when the first restart failed (FerretDB down)', async () => {
    const dir = rulesFolder({ 'marketplace.json': MARKET, 'edi.json': EDI });
    const outcomes: ({ applied: true; channels: string[] } | { applied: false; error: Error })[] = [];
    const rules = loadChannelRules(dir);
    const runner = await world.startRunner(rules, { lease: null, rulesDir: dir, reloadDebounceMs: 100, retryMs: 300, onRulesChange: (outcome) => outcomes.push(outcome) });
    await world.adjust('SKU-00135', 'WH-EAST', 50);
    await runner.current()?.engine.touch(['SKU-00135']);
    const before = await listedAsExpected(rules, 'SKU-00135', 'the first figure');

    // The store is down while the rules change: the feeds stop, and starting them again fails.
    await world.ferret().kill();
    writeFileSync(join(dir, 'marketplace.json'), JSON.stringify({ ...MARKET, sharePercent: 70, bufferUnits: 1 }));
    await eventually(async () => (outcomes.length > 0 ? true : undefined), 'the rules change to be applied', 60_000);
    expect(outcomes).toEqual([{ applied: true, channels: ['marketplace'] }]);
    expect(runner.leading()).toBe(false);
    expect(await listing('SKU-00135')).toBe(before);

    // Back: the feeds start on their own and the marketplace gets the figure under the new rules,
    // with no ATP change to trigger it.
    await world.ferret().restart();
    const changed = loadChannelRules(dir);
    const after = await listedAsExpected(changed, 'SKU-00135', 'the recomputed figure under the new rules', 60_000);
    expect(after).not.toBe(before);
    expect(runner.leading()).toBe(true);
  });
});
