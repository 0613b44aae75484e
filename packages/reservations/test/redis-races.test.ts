import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { RedisReservationStore, type LedgerReserveResult } from '../src';
import { T0, level, lines, request, seed } from './contract/stock-fixtures';

/** Separate clients on one prefix stand in for gateway replicas and order-taking processes. */
const REPLICAS = 6;

let redis: BackingService | undefined;
let replicas: RedisReservationStore[] = [];
let runs = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

async function connectReplicas(): Promise<RedisReservationStore[]> {
  if (!redis) throw new Error('redis-server did not start');
  runs += 1;
  const url = redis.url;
  const keyPrefix = `race${runs}:`;
  replicas = await Promise.all(Array.from({ length: REPLICAS }, () => RedisReservationStore.connect({ url, keyPrefix })));
  return replicas;
}

async function closeReplicas(): Promise<void> {
  await Promise.all(replicas.map((r) => r.close()));
  replicas = [];
}

/** Deterministic pseudo-random quantities, so a failure can be replayed. */
function quantities(count: number, max: number, seedValue: number): number[] {
  let x = seedValue;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x % max) + 1;
  });
}

function reservedQuantity(result: LedgerReserveResult, sku: string): number {
  return result.status === 'reserved' ? result.allocations.filter((a) => a.sku === sku).reduce((sum, a) => sum + a.quantity, 0) : 0;
}

describe('orders racing for stock across replicas (real Redis)', () => {
  it('never reserves more of a SKU than was available, and a refused order reserves nothing', async () => {
    const [first, ...others] = await connectReplicas();
    try {
      if (!first) throw new Error('no replica');
      await seed(first, [level('A', 'W1', 30, 2, 3), level('A', 'W2', 25), level('A', 'W3', 100)]);
      // Available to these orders: W1 25 + W2 25 = 50 (W3 is not a candidate).
      const wanted = quantities(200, 3, 7);
      const results = await Promise.all(
        wanted.map((q, i) => (i % 2 ? first : (others[i % others.length] ?? first)).reserve(request(`o${i}`, lines(['A', q]), { warehouses: ['W1', 'W2'], rule: 'priority-split' }), T0)),
      );
      const accepted = results.map((r) => reservedQuantity(r, 'A'));
      const total = accepted.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(50);
      results.forEach((r, i) => {
        if (r.status === 'reserved') expect(accepted[i]).toBe(wanted[i]);
        else expect(r).toEqual({ status: 'insufficient', shortages: [expect.objectContaining({ sku: 'A', requested: wanted[i] })] });
      });
      // The ledger owes exactly what the accepted orders hold, no more, no less.
      const pending = (await first.pendingBySku(['A'])).get('A');
      expect((pending?.get('W1') ?? 0) + (pending?.get('W2') ?? 0)).toBe(total);
      expect(pending?.get('W1') ?? 0).toBeLessThanOrEqual(25);
      expect(pending?.has('W3')).toBe(false);
      const refusedIds = results.flatMap((r, i) => (r.status === 'insufficient' ? [`o${i}`] : []));
      expect(refusedIds.length).toBeGreaterThan(0);
      for (const id of refusedIds) expect(await first.get(id)).toBeNull();
      // Nothing was lost either: whatever is left can still be sold, and not one unit more.
      const left = 50 - total;
      if (left > 0) expect((await first.reserve(request('rest', lines(['A', left]), { warehouses: ['W1', 'W2'] }), T0)).status).toBe('reserved');
      expect((await first.reserve(request('more', lines(['A', 1]), { warehouses: ['W1', 'W2'] }), T0)).status).toBe('insufficient');
    } finally {
      await closeReplicas();
    }
  });

  it('keeps multi-line orders all-or-nothing while their lines compete for two SKUs', async () => {
    const [first, ...others] = await connectReplicas();
    try {
      if (!first) throw new Error('no replica');
      await seed(first, [level('A', 'W1', 20), level('B', 'W1', 12), level('B', 'W2', 8)]);
      const a = quantities(150, 3, 11);
      const b = quantities(150, 4, 23);
      // Every third order wants only A or only B, so single-line orders compete with pairs.
      const orderLines = a.map((qa, i) => (i % 3 === 0 ? lines(['A', qa]) : i % 3 === 1 ? lines(['B', b[i] ?? 1]) : lines(['A', qa], ['B', b[i] ?? 1])));
      const results = await Promise.all(orderLines.map((l, i) => (others[i % others.length] ?? first).reserve(request(`m${i}`, l, { warehouses: ['W1', 'W2'] }), T0)));
      let totalA = 0;
      let totalB = 0;
      results.forEach((r, i) => {
        const want = orderLines[i] ?? [];
        if (r.status === 'reserved') {
          for (const line of want) expect(reservedQuantity(r, line.sku)).toBe(line.quantity);
        } else {
          expect(r.status).toBe('insufficient');
        }
        totalA += reservedQuantity(r, 'A');
        totalB += reservedQuantity(r, 'B');
      });
      expect(totalA).toBeLessThanOrEqual(20);
      expect(totalB).toBeLessThanOrEqual(20);
      const pending = await first.pendingBySku(['A', 'B']);
      expect(pending.get('A')?.get('W1') ?? 0).toBe(totalA);
      expect((pending.get('B')?.get('W1') ?? 0) + (pending.get('B')?.get('W2') ?? 0)).toBe(totalB);
      for (const [i, r] of results.entries()) if (r.status === 'insufficient') expect(await first.get(`m${i}`)).toBeNull();
    } finally {
      await closeReplicas();
    }
  });

  it('reserves once when replicas retry the same order id at the same moment', async () => {
    const stores = await connectReplicas();
    try {
      const first = stores[0];
      if (!first) throw new Error('no replica');
      await seed(first, [level('A', 'W1', 100)]);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (stores[i % stores.length] ?? first).reserve(request('same', lines(['A', 5])), T0)));
      expect(results.filter((r) => r.status === 'reserved')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'exists')).toHaveLength(39);
      expect((await first.pendingBySku(['A'])).get('A')?.get('W1')).toBe(5);
    } finally {
      await closeReplicas();
    }
  });

  it('stays consistent while releases, confirms and expiry race new reservations', async () => {
    const stores = await connectReplicas();
    try {
      const first = stores[0];
      if (!first) throw new Error('no replica');
      await seed(first, [level('A', 'W1', 40)]);
      const held = await Promise.all(Array.from({ length: 20 }, (_, i) => first.reserve(request(`h${i}`, lines(['A', 2]), { holdMs: i < 10 ? 1 : 60_000 }), T0)));
      expect(held.every((r) => r.status === 'reserved')).toBe(true);
      // h0..h9 expire, h10..h14 are released, h15..h19 confirmed, while 60 new orders race in.
      const churn = [
        ...stores.map((s) => s.expire(T0 + 10, 3)),
        ...Array.from({ length: 5 }, (_, i) => (stores[i % stores.length] ?? first).release(`h${10 + i}`)),
        ...Array.from({ length: 5 }, (_, i) => (stores[(i + 1) % stores.length] ?? first).confirm(`h${15 + i}`)),
      ];
      const fresh = Array.from({ length: 60 }, (_, i) => (stores[i % stores.length] ?? first).reserve(request(`n${i}`, lines(['A', 1])), T0 + 10));
      const [, results] = await Promise.all([Promise.all(churn), Promise.all(fresh)]);
      await first.expire(T0 + 10, 100);
      const newly = results.filter((r) => r.status === 'reserved').length;
      const stock = (await first.readStock(['A'])).get('A');
      const pending = (await first.pendingBySku(['A'])).get('A')?.get('W1') ?? 0;
      // 5 confirmed orders moved 10 into reserved; the rest of what is held is pending.
      expect(stock?.levels).toEqual([level('A', 'W1', 40, 10)]);
      expect(pending).toBe(newly);
      expect(newly).toBeLessThanOrEqual(30);
    } finally {
      await closeReplicas();
    }
  });
});
