import { BackendError, isOutage } from '@crossdock/connectors';
import type { Customer, Money, Product } from '@crossdock/model';
import { OrderCaptureError } from './capture-types';
import type { MasterDataSource } from './joined-erp-reads';
import { ReferenceCache, type Seen } from './reference-cache';

/** ERP master data for one order. */
export interface MasterData {
  /** Null when the ERP does not know the customer (or the caller may not order for it). */
  customer: Customer | null;
  /** By SKU; null for a SKU the ERP does not know. */
  products: ReadonlyMap<string, Product | null>;
  /** The customer's unit price by SKU; null when unpriced (or the customer is unknown). */
  prices: ReadonlyMap<string, Money | null>;
  /**
   * When the ERP could not be asked and cached answers were used: when the oldest of them was
   * seen (epoch ms). Null when everything came from the ERP just now.
   */
  degradedSince: number | null;
}

/**
 * A second tier for the reference data, shared and durable: the subgraph's MongoDB fallback cache
 * (its FallbackCache fits). Answers kept there outlive a restart of this process and are seen by
 * every replica, so an ERP outage does not stop order taking on a replica that has just been
 * (re)started, or that had not yet seen the customer. `recall` never rejects; a key the store
 * cannot serve is null.
 */
export interface ReferenceSnapshots {
  remember(kind: string, entries: readonly { key: string; value: unknown }[]): void;
  recall(kind: string, keys: readonly string[]): Promise<({ value: unknown; asOf: Date } | null)[]>;
}

/**
 * The snapshot kinds reference data is kept under. Customer and product are the ERP subgraph's
 * own kinds (the same connector answers, stored the same way), so its reads keep them fresh too.
 */
export const REFERENCE_SNAPSHOT_KINDS = { customer: 'erp.customer', product: 'erp.product', price: 'erp.customer-price' } as const;

/** One kind of reference data: the in-process tier and the kind it has in the shared tier. */
interface ReferenceTier<V> {
  kind: string;
  cache: ReferenceCache<V>;
}

/**
 * Reads the master data an order is validated against: customer, products and the customer's
 * prices in ONE round of parallel ERP calls (which OrderCapture joins with those of the orders
 * validated at the same time: JoinedErpReads). Every answer is remembered (in process, and in the
 * shared snapshots when given); while the ERP is down (reset, timeout, 5xx) answers seen within
 * `maxAgeMs` stand in for it, so order taking survives an ERP outage (CONTRACT.md, placeOrder).
 * Without such an answer: BACKEND_UNAVAILABLE.
 */
export class MasterDataReader {
  private readonly customers: ReferenceTier<Customer> = { kind: REFERENCE_SNAPSHOT_KINDS.customer, cache: new ReferenceCache() };
  private readonly products: ReferenceTier<Product> = { kind: REFERENCE_SNAPSHOT_KINDS.product, cache: new ReferenceCache() };
  private readonly prices: ReferenceTier<Money> = { kind: REFERENCE_SNAPSHOT_KINDS.price, cache: new ReferenceCache() };

  constructor(
    private readonly erp: MasterDataSource,
    private readonly maxAgeMs: number,
    private readonly clock: () => number = Date.now,
    private readonly snapshots: ReferenceSnapshots | null = null,
  ) {}

  /** `customerId` null: the caller may not order for the customer; it is treated as unknown. */
  async read(customerId: string | null, skus: readonly string[]): Promise<MasterData> {
    const distinct = [...new Set(skus)];
    const [customers, products, prices] = await Promise.allSettled([
      customerId === null ? Promise.resolve([null]) : this.erp.customersByIds([customerId]),
      this.erp.productsBySkus(distinct),
      customerId === null ? Promise.resolve(distinct.map(() => null)) : this.erp.pricesFor(customerId, distinct),
    ]);
    const now = this.clock();
    const stale: number[] = [];
    /** Cached answers for `keys` while the ERP is down; each key must have one. */
    const fallback = async <V>(tier: ReferenceTier<V>, keys: readonly string[], error: unknown): Promise<Map<string, V>> => {
      // Only an outage is bridged: an answer the connector cannot read is a bug to surface.
      if (!isOutage(error)) throw error;
      const seen = await this.cached(tier, keys, now);
      return new Map(
        keys.map((key) => {
          const entry = seen.get(key);
          if (!entry) throw unavailable(error);
          stale.push(entry.seenAt);
          return [key, entry.value];
        }),
      );
    };

    let customer: Customer | null = null;
    if (customers.status === 'fulfilled') {
      customer = customers.value[0] ?? null;
      if (customer) this.keep(this.customers, [[customer.id, customer]], now);
    } else if (customerId !== null) {
      customer = (await fallback(this.customers, [customerId], customers.reason)).get(customerId) ?? null;
    }

    let productBySku: Map<string, Product | null>;
    if (products.status === 'fulfilled') {
      productBySku = new Map(distinct.map((sku, i) => [sku, products.value[i] ?? null]));
      this.keep(this.products, [...productBySku].flatMap(([sku, product]) => (product ? [[sku, product] as const] : [])), now);
    } else {
      productBySku = await fallback(this.products, distinct, products.reason);
    }

    const priceKey = (sku: string) => JSON.stringify([customerId, sku]);
    let priceBySku: Map<string, Money | null>;
    if (prices.status === 'fulfilled') {
      priceBySku = new Map(distinct.map((sku, i) => [sku, prices.value[i] ?? null]));
      if (customerId !== null) this.keep(this.prices, [...priceBySku].flatMap(([sku, price]) => (price ? [[priceKey(sku), price] as const] : [])), now);
    } else if (isCustomerNotFound(prices.reason) || customer === null) {
      // The ERP refuses a price list for a customer it does not know: nothing is priced.
      priceBySku = new Map(distinct.map((sku) => [sku, null]));
    } else {
      const byKey = await fallback(this.prices, distinct.map(priceKey), prices.reason);
      priceBySku = new Map(distinct.map((sku) => [sku, byKey.get(priceKey(sku)) ?? null]));
    }

    return { customer, products: productBySku, prices: priceBySku, degradedSince: stale.length > 0 ? Math.min(...stale) : null };
  }

  /** Remembers live answers in both tiers (the shared one is written behind, never awaited). */
  private keep<V>(tier: ReferenceTier<V>, entries: readonly (readonly [string, V])[], now: number): void {
    for (const [key, value] of entries) tier.cache.put(key, value, now);
    if (entries.length > 0) this.snapshots?.remember(tier.kind, entries.map(([key, value]) => ({ key, value })));
  }

  /** Answers seen within the age limit: in process first, then the shared snapshots (which then warm the process). */
  private async cached<V>(tier: ReferenceTier<V>, keys: readonly string[], now: number): Promise<Map<string, Seen<V>>> {
    const found = new Map<string, Seen<V>>();
    const missing = keys.filter((key) => {
      const seen = tier.cache.get(key, this.maxAgeMs, now);
      if (seen) found.set(key, seen);
      return !seen;
    });
    if (missing.length === 0 || !this.snapshots) return found;
    const recalled = await this.snapshots.recall(tier.kind, missing);
    missing.forEach((key, i) => {
      const snapshot = recalled[i];
      // A null stored for an unknown key proves nothing about it now: only real answers stand in.
      if (!snapshot || snapshot.value === null || now - snapshot.asOf.getTime() > this.maxAgeMs) return;
      // The one unchecked step: a snapshot of this kind was written from a V by keep() (or, for
      // customers and products, by the ERP subgraph from the same connector's answers).
      const value = snapshot.value as V;
      tier.cache.put(key, value, snapshot.asOf.getTime());
      found.set(key, { value, seenAt: snapshot.asOf.getTime() });
    });
    return found;
  }
}

function isCustomerNotFound(error: unknown): boolean {
  return error instanceof BackendError && error.kind === 'client-error' && error.code === 'CustomerNotFound';
}

/** An outage without a usable cached answer. */
function unavailable(error: unknown): OrderCaptureError {
  return new OrderCaptureError('BACKEND_UNAVAILABLE', 'The ERP is unavailable and the customer or price data is not known recently enough to take the order; try again shortly.', 'erp', { cause: error });
}
