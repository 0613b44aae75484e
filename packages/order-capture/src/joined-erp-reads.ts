import DataLoader from 'dataloader';
import type { ErpConnector } from '@crossdock/connectors';
import type { Customer, Money, Product } from '@crossdock/model';

/** The ERP reads an order is validated with: the part of ErpConnector that MasterDataReader uses. */
export type MasterDataSource = Pick<ErpConnector, 'customersByIds' | 'productsBySkus' | 'pricesFor'>;

/**
 * ERP calls of one kind in flight at once (default). Reads asked for meanwhile wait and go
 * together in the next call: fewer means bigger joins and more waiting behind a slow call.
 */
export const DEFAULT_ERP_READS_IN_FLIGHT = 2;

/**
 * Longest a read waits for a free slot (default) before it goes out anyway, beyond the in-flight
 * count. An ERP call normally answers in milliseconds and frees its slot long before; one that
 * hangs until the connector's deadline (2 s, and a retry) would otherwise hold the orders behind
 * it for that long again before their own call even starts, and so delay their fallback to
 * cached master data by as much.
 */
export const DEFAULT_ERP_READ_MAX_WAIT_MS = 100;

/**
 * Most keys one joined read collects before another opens behind it. The connector still splits
 * a call into backend requests of at most 100 keys; this only bounds how much rides on one.
 */
const MAX_JOINED_KEYS = 500;

/** A customer's price for one SKU: the key of the joined price reads. */
interface PriceKey {
  customerId: string;
  sku: string;
}

/**
 * Joins the master-data reads of orders validated at the same time into shared ERP calls. Each
 * order used to make its own three calls (customer, items, the customer's prices); under load
 * the orders arriving while a call of a kind is in flight now wait for it to finish and then go
 * to the ERP together, in one call per kind (prices: one per customer). Every order still gets
 * answers read after it asked, never an earlier order's: a read joins the next call, not the
 * one under way, and nothing is cached. Alone, a read goes out at once (after the current turn of
 * the event loop, so one order's own keys still travel together).
 *
 * A failed call fails every read that joined it with the same error, so each order decides on its
 * own fallback exactly as before (an outage: cached master data within the policy's age). A price
 * list the ERP refuses for one customer (CustomerNotFound) fails that customer's reads only.
 *
 * This is DataLoader, as every other backend read of the hub, with two changes for reads made by
 * many requests rather than within one: no cache, and a batch dispatched only once fewer than
 * `maxInFlight` calls of its kind are under way (the same in-flight grouping as the order store's
 * GroupedWrites), or once it has waited `maxWaitMs` for that: a hanging call delays the reads
 * behind it by that much at most.
 */
export class JoinedErpReads implements MasterDataSource {
  private readonly customers: DataLoader<string, Customer | null>;
  private readonly products: DataLoader<string, Product | null>;
  private readonly prices: DataLoader<PriceKey, Money | null>;

  constructor(erp: MasterDataSource, options: { maxInFlight?: number; maxWaitMs?: number } = {}) {
    const slots = { maxInFlight: options.maxInFlight ?? DEFAULT_ERP_READS_IN_FLIGHT, maxWaitMs: options.maxWaitMs ?? DEFAULT_ERP_READ_MAX_WAIT_MS };
    if (!Number.isInteger(slots.maxInFlight) || slots.maxInFlight < 1) throw new Error(`maxInFlight must be a whole number of at least 1, got ${slots.maxInFlight}`);
    if (!Number.isFinite(slots.maxWaitMs) || slots.maxWaitMs < 0) throw new Error(`maxWaitMs must be a number of milliseconds >= 0, got ${slots.maxWaitMs}`);
    this.customers = joinedLoader((ids) => erp.customersByIds(ids), slots);
    this.products = joinedLoader((skus) => erp.productsBySkus(skus), slots);
    this.prices = joinedLoader((keys) => pricesByCustomer(erp, keys), slots);
  }

  customersByIds(ids: readonly string[]): Promise<(Customer | null)[]> {
    return Promise.all(ids.map((id) => this.customers.load(id)));
  }

  productsBySkus(skus: readonly string[]): Promise<(Product | null)[]> {
    return Promise.all(skus.map((sku) => this.products.load(sku)));
  }

  pricesFor(customerId: string, skus: readonly string[]): Promise<(Money | null)[]> {
    return Promise.all(skus.map((sku) => this.prices.load({ customerId, sku })));
  }
}

/** One ERP price call per customer among `keys` (in parallel); a refused call fails that customer's keys only. */
async function pricesByCustomer(erp: MasterDataSource, keys: readonly PriceKey[]): Promise<(Money | null | Error)[]> {
  const indexesByCustomer = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const indexes = indexesByCustomer.get(key.customerId);
    if (indexes) indexes.push(index);
    else indexesByCustomer.set(key.customerId, [index]);
  });
  const results: (Money | null | Error)[] = keys.map(() => null);
  await Promise.all(
    [...indexesByCustomer].map(async ([customerId, indexes]) => {
      try {
        const prices = await erp.pricesFor(customerId, indexes.map((index) => keys[index]!.sku));
        indexes.forEach((index, i) => (results[index] = prices[i] ?? null));
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const index of indexes) results[index] = failure;
      }
    }),
  );
  return results;
}

/**
 * A DataLoader without a cache whose batches wait for a free slot: at most `maxInFlight` calls of
 * `batch` at once, and keys loaded meanwhile collect in the open batch until one finishes, or
 * until it has waited `maxWaitMs`, when it goes out beyond the limit.
 */
function joinedLoader<K, V>(batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>, slots: { maxInFlight: number; maxWaitMs: number }): DataLoader<K, V> {
  let inFlight = 0;
  let entered = false;
  const ready: { dispatch: () => void; overdue: NodeJS.Timeout }[] = [];
  const send = (dispatch: () => void) => {
    inFlight++;
    entered = false;
    // DataLoader calls the batch function from dispatch, synchronously, unless the batch is empty.
    dispatch();
    if (!entered) inFlight--;
  };
  const pump = () => {
    while (inFlight < slots.maxInFlight && ready.length > 0) {
      const next = ready.shift()!;
      clearTimeout(next.overdue);
      send(next.dispatch);
    }
  };
  return new DataLoader<K, V>(
    async (keys) => {
      entered = true;
      try {
        return await batch(keys);
      } finally {
        inFlight--;
        pump();
      }
    },
    {
      cache: false,
      maxBatchSize: MAX_JOINED_KEYS,
      // As DataLoader's own scheduling: after the promise jobs of this turn, so one caller's keys
      // land in one batch; then only when a slot is free, or once it has waited too long.
      batchScheduleFn: (dispatch) => {
        const entry = {
          dispatch,
          overdue: setTimeout(() => {
            const index = ready.indexOf(entry);
            if (index < 0) return;
            ready.splice(index, 1);
            send(dispatch);
          }, slots.maxWaitMs).unref(),
        };
        ready.push(entry);
        void Promise.resolve().then(() => process.nextTick(pump));
      },
    },
  );
}
