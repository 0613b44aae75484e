import { randomBytes } from 'node:crypto';
import type { Money } from '@crossdock/model';
import { MongoOrderStore, OutboxWorker, type PlacedOrder } from '@crossdock/orders';
import { closedLoop, measureStep, type StepResult } from './closed-loop';

/** What the order-store step needs: the stack's MongoDB server and the load's shape. */
export interface OrderStoreStepSettings {
  /** The stack's FerretDB; the step writes to a database of its own, never the hub's. */
  mongoUrl: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Processes to sample during the measured window besides this one (e.g. FerretDB), by name. */
  helperPids: Record<string, number>;
}

/** A window never runs longer than this many orders (each stays in the database). */
const MAX_ORDERS = 200_000;
const PRICE: Money = { amount: '12.50', currency: 'USD' };

/**
 * The order store's share of placeOrder alone: closed-loop, `connections` at a time, what order
 * capture does with an accepted order (MongoOrderStore.insert with its postings leased to the
 * immediate attempt, then OutboxWorker.postInserted, which records the three outcomes in one
 * change), with posters that answer at once instead of backends. A database of its own on the
 * stack's FerretDB, warm-up first.
 */
export async function measureOrderStoreStep(settings: OrderStoreStepSettings): Promise<StepResult> {
  const store = await MongoOrderStore.connect(settings.mongoUrl, { dbName: `bench_order_store_${randomBytes(4).toString('hex')}` });
  try {
    const worker = new OutboxWorker({
      store,
      posters: { erp: async (order) => `SO-${order.id}`, wms: async () => null, commerce: async () => null },
      policy: { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000 },
      intervalMs: 1_000,
      leaseMs: 20_000,
      batchSize: 8,
    });
    const placeOne = async (): Promise<boolean> => {
      const order = newOrder(worker);
      if ((await store.insert(order)) !== 'inserted') throw new Error(`order ${order.id} was not inserted`);
      const stored = await worker.postInserted(order);
      if (stored.postings.erp.state !== 'POSTED') throw new Error(`order ${order.id}: erp posting ${stored.postings.erp.state} after its attempt`);
      return true;
    };
    if (settings.warmupSeconds > 0) await closedLoop(placeOne, settings.connections, settings.warmupSeconds, MAX_ORDERS, null);
    return await measureStep(placeOne, settings, MAX_ORDERS);
  } finally {
    await store.close();
  }
}

function newOrder(worker: OutboxWorker): PlacedOrder {
  const now = new Date();
  const id = `BENCH-${randomBytes(8).toString('hex')}`;
  return {
    id,
    idempotencyKey: `web:${id}`,
    channel: 'web',
    externalRef: null,
    customerId: 'C-1001',
    placedAt: now.toISOString(),
    status: 'ACCEPTED',
    lines: [{ lineNumber: 1, sku: 'SKU-00056', quantity: 1, unitPrice: PRICE }],
    total: PRICE,
    allocations: [{ warehouseId: 'WH-EAST', sku: 'SKU-00056', quantity: 1 }],
    postings: worker.newPostings(now, 5_000),
    cancelledAt: null,
    cancelReason: null,
  };
}
