import { describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { checkDocument, readInterchanges } from '@crossdock/edi';
import { channelFigures, positionAtp, type AvailabilityFeeds, type ChannelRules } from '../src';
import { eventually, testRules, useFeedWorld, type ChannelInventoryView } from './feed-world';

jest.setTimeout(120_000);
const world = useFeedWorld();
const LOCATION_IDS: Record<string, number> = { 'WH-EAST': 1001, 'WH-CENTRAL': 1002 };

/** What each channel should show for a SKU now, from the WMS's positions under the rules. */
async function expectedFigures(rules: readonly ChannelRules[], sku: string) {
  const connector = world.wms();
  const atp = (await positionAtp({ positions: (skus) => connector.positionsBySkus(skus), pending: null }).read([sku])).get(sku) ?? new Map();
  return Object.fromEntries(rules.map((r) => [r.channel, Object.fromEntries(channelFigures(r, sku, atp).map((f) => [f.location, f.quantity]))]));
}

/** What the channels were told about a SKU, per channel and location, with the marketplace's sequence. */
function shown(view: ChannelInventoryView, sku: string) {
  const web = Object.fromEntries(
    Object.entries(LOCATION_IDS).flatMap(([warehouse, id]) => view.levels.filter((l) => l.sku === sku && l.location_id === id).map((l) => [warehouse, l.available])),
  );
  const listing = view.marketplaces['tradewind-market']?.find((l) => l.sku === sku);
  const edi = lastAdvised(view.edi['acme-retail'] ?? [], sku);
  return { web, marketplace: listing ? { '*': listing.quantity } : {}, edi: edi === null ? {} : { '*': edi } };
}

/** The quantity the latest 846 gave for a SKU (our SKU is the vendor part when the partner has no cross-reference). */
function lastAdvised(documents: readonly string[], sku: string): number | null {
  let quantity: number | null = null;
  for (const document of documents) {
    const segments = readInterchanges(document).flatMap((i) => i.groups.flatMap((g) => g.sets.flatMap((s) => s.segments)));
    segments.forEach((segment, i) => {
      const next = segments[i + 1];
      if (segment.tag === 'LIN' && segment.elements.includes(sku) && next?.tag === 'QTY') quantity = Number(next.elements[2]);
    });
  }
  return quantity;
}

async function settled(feeds: AvailabilityFeeds): Promise<void> {
  await eventually(async () => (feeds.engine.idle() && feeds.status().every((s) => s.waiting + s.inFlight === 0) ? true : undefined), 'every feed to be acknowledged');
}

describe('available-to-sell feeds (real simulators, real FerretDB)', () => {
  it('pushes a change to every channel: store per location, marketplace, EDI 846 (valid X12)', async () => {
    const rules = testRules();
    const feeds = await world.start(rules);
    await world.adjust('SKU-00010', 'WH-EAST', 40);
    await feeds.engine.touch(['SKU-00010']);
    const expected = await expectedFigures(rules, 'SKU-00010');
    await eventually(async () => {
      const view = shown(await world.channelInventory(), 'SKU-00010');
      return isDeepStrictEqual(view, expected) ? view : undefined;
    }, 'every channel to show the new figures').catch(async (error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(shown(await world.channelInventory(), 'SKU-00010'))} vs ${JSON.stringify(expected)}; ${JSON.stringify(feeds.status())}`);
    });
    const documents = (await world.channelInventory()).edi['acme-retail'] ?? [];
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(checkDocument(document)).toEqual([]);
    const graphRow = feeds.feed('web')?.acknowledged('SKU-00010');
    expect(graphRow?.locations['WH-EAST']?.quantity).toBe(expected.web?.['WH-EAST']);
  });

  it('coalesces changes within the window into one push per SKU and location', async () => {
    const rules = testRules();
    const feeds = await world.start(rules, { coalesceMs: 1_000 });
    const touches: Promise<void>[] = [];
    for (let i = 0; i < 8; i += 1) {
      await world.adjust('SKU-00020', 'WH-EAST', 3);
      touches.push(feeds.engine.touch(['SKU-00020']));
    }
    await Promise.all(touches);
    await settled(feeds);
    const view = await world.channelInventory();
    const levels = view.levels.filter((l) => l.sku === 'SKU-00020');
    expect(levels.map((l) => l.sets)).toEqual([1, 1]);
    expect(view.marketplaces['tradewind-market']?.find((l) => l.sku === 'SKU-00020')?.updates).toBe(1);
    expect(shown(view, 'SKU-00020')).toEqual(await expectedFigures(rules, 'SKU-00020'));
  });

  it('gives a channel that was down for 20 s exactly the latest values once it is back, and records the outage', async () => {
    // No cap: every change below moves every channel's figure.
    const rules = testRules({ marketplace: { maxListed: null } });
    const feeds = await world.start(rules);
    await world.adjust('SKU-00030', 'WH-EAST', 10);
    await feeds.engine.touch(['SKU-00030']);
    await settled(feeds);
    const before = (await world.channelInventory()).levels.filter((l) => l.sku === 'SKU-00030');
    await world.fault('down');
    for (let i = 0; i < 5; i += 1) {
      await world.adjust('SKU-00030', i % 2 === 0 ? 'WH-EAST' : 'WH-CENTRAL', 7 + i);
      await feeds.engine.touch(['SKU-00030']);
      await sleep(4_000);
    }
    expect(feeds.status().map((s) => ({ channel: s.channel, owed: s.waiting + s.inFlight > 0, failing: s.consecutiveFailures > 0 }))).toEqual(
      ['web', 'marketplace', 'edi'].map((channel) => ({ channel, owed: true, failing: true })),
    );
    await world.fault('none');
    await settled(feeds);
    const view = await world.channelInventory();
    expect(shown(view, 'SKU-00030')).toEqual(await expectedFigures(rules, 'SKU-00030'));
    // One set per location after the outage: the latest value, nothing in between.
    const after = view.levels.filter((l) => l.sku === 'SKU-00030');
    expect(after.map((l) => l.sets)).toEqual(before.map((l) => l.sets + 1));
    const outages = await feeds.stores.exceptions.list({ kinds: ['availability-push'], states: ['open'] }, { first: 10, after: null });
    expect(outages.items.map((e) => e.subject).sort()).toEqual(['edi:outage', 'marketplace:outage', 'web:outage']);
  });

  it('waits out the store\'s 429 Retry-After and still delivers every figure', async () => {
    await world.limits(3, 10);
    const skus = Array.from({ length: 12 }, (_, i) => `SKU-${String(61 + i).padStart(5, '0')}`);
    const rules = testRules();
    const feeds = await world.start(rules);
    await feeds.engine.touch(skus);
    await settled(feeds);
    const view = await world.channelInventory();
    expect(view.throttled).toBeGreaterThan(0);
    for (const sku of skus) expect(shown(view, sku)).toEqual(await expectedFigures(rules, sku));
  });

  it('never lets an older figure replace a newer one', async () => {
    const rules = testRules();
    const feeds = await world.start(rules);
    await world.adjust('SKU-00040', 'WH-EAST', 30);
    await feeds.engine.touch(['SKU-00040']);
    await settled(feeds);
    const market = feeds.feed('marketplace');
    const current = market?.figure('SKU-00040');
    if (!market || !current) throw new Error('the marketplace feed has no figure');
    // A recomputation that lost a race (older seq) arrives late: it is dropped, not sent.
    market.offer([{ ...current, seq: current.seq - 1, locations: { '*': 999 } }]);
    expect(market.figure('SKU-00040')?.locations['*']).toBe(current.locations['*']);
    // A push delayed in the network arrives after a newer one: the marketplace keeps the newer.
    const late = await fetch(`${world.url('sim-commerce')}/marketplace/tradewind-market/inventory.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'SKU-00040', quantity: 999, sequence: current.seq - 1 }] }),
    });
    expect(await late.json()).toEqual({ results: [{ sku: 'SKU-00040', status: 'stale' }] });
    // A newer figure while the older one is still in flight goes right after it, never before.
    await world.fault('slow', 1_500);
    await world.adjust('SKU-00040', 'WH-EAST', -11);
    void feeds.engine.touch(['SKU-00040']);
    await sleep(600);
    await world.adjust('SKU-00040', 'WH-EAST', -9);
    await feeds.engine.touch(['SKU-00040']);
    await world.fault('none');
    await settled(feeds);
    const view = await world.channelInventory();
    expect(shown(view, 'SKU-00040')).toEqual(await expectedFigures(rules, 'SKU-00040'));
    expect(view.marketplaces['tradewind-market']?.find((l) => l.sku === 'SKU-00040')?.sequence).toBe(feeds.feed('marketplace')?.figure('SKU-00040')?.seq);
  });

  it('comes back after a restart owing exactly what the channel has not acknowledged, also after compaction', async () => {
    const rules = testRules();
    const first = await world.start(rules);
    await world.adjust('SKU-00050', 'WH-EAST', 12);
    await first.engine.touch(['SKU-00050', 'SKU-00051']);
    await settled(first);
    await first.stop();
    expect(await first.stores.store.compact()).toBeGreaterThan(2);
    const second = await world.start(rules);
    expect(second.status().map((s) => [s.channel, s.skus, s.waiting])).toEqual([
      ['web', 2, 0],
      ['marketplace', 2, 0],
      ['edi', 2, 0],
    ]);
    expect(second.feed('marketplace')?.figure('SKU-00050')?.seq).toBe(first.feed('marketplace')?.figure('SKU-00050')?.seq);
    // The restarted feeds carry on from the loaded figures.
    await world.adjust('SKU-00051', 'WH-CENTRAL', 9);
    await second.engine.touch(['SKU-00051']);
    await settled(second);
    expect(shown(await world.channelInventory(), 'SKU-00051')).toEqual(await expectedFigures(rules, 'SKU-00051'));
  });

  it('resumes a full resync cut short, at its first unfinished chunk, within the channel rate limit', async () => {
    const skus = Array.from({ length: 24 }, (_, i) => `SKU-${String(101 + i).padStart(5, '0')}`);
    const rules = testRules({ marketplace: { rateLimit: { requestsPerSecond: 4, burst: 1 }, resync: { chunkSize: 4 }, connector: { kind: 'marketplace', urlEnv: 'COMMERCE_URL', name: 'tradewind-market', batchSize: 2 } } });
    const first = await world.start(rules, { catalog: async () => skus });
    const run = first.resync('marketplace', 'test-operator');
    const started = await run.started;
    await eventually(async () => ((await first.resyncStatus('marketplace'))?.next ?? 0) >= 8 || undefined, 'two chunks of the resync');
    await first.stop();
    const cut = await first.resyncStatus('marketplace');
    expect(cut?.finishedAt).toBeNull();
    expect(cut?.next).toBeGreaterThanOrEqual(8);
    expect(cut?.next).toBeLessThan(skus.length);
    const before = new Map(((await world.channelInventory()).marketplaces['tradewind-market'] ?? []).map((l) => [l.sku, l.updates]));

    const second = await world.start(rules, { catalog: async () => skus });
    const done = await eventually(async () => {
      const checkpoint = await second.resyncStatus('marketplace');
      return checkpoint?.finishedAt ? checkpoint : undefined;
    }, 'the resumed resync to finish', 30_000);
    expect(done.runId).toBe(started.runId);
    expect(done.next).toBe(skus.length);
    const listings = new Map(((await world.channelInventory()).marketplaces['tradewind-market'] ?? []).map((l) => [l.sku, l]));
    expect(skus.filter((sku) => !listings.has(sku))).toEqual([]);
    // Chunks done before the cut were not sent again.
    for (const sku of skus.slice(0, cut?.next ?? 0)) expect(listings.get(sku)?.updates).toBe(before.get(sku));
  });
});
