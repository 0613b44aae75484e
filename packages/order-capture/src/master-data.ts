import { BackendError, isOutage, type ErpConnector } from '@crossdock/connectors';
import type { Customer, Money, Product } from '@crossdock/model';
import { OrderCaptureError } from './capture-types';
import { ReferenceCache } from './reference-cache';

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
 * Reads the master data an order is validated against: customer, products and the customer's
 * prices in ONE round of parallel ERP calls. Every answer is remembered; while the ERP is down
 * (reset, timeout, 5xx) answers seen within `maxAgeMs` stand in for it, so order taking survives
 * an ERP outage (CONTRACT.md, placeOrder). Without such an answer: BACKEND_UNAVAILABLE.
 */
export class MasterDataReader {
  private readonly customers = new ReferenceCache<Customer>();
  private readonly products = new ReferenceCache<Product>();
  private readonly prices = new ReferenceCache<Money>();

  constructor(
    private readonly erp: ErpConnector,
    private readonly maxAgeMs: number,
    private readonly clock: () => number = Date.now,
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
    const fallback = <V>(cache: ReferenceCache<V>, key: string, error: unknown): V => {
      // Only an outage is bridged: an answer the connector cannot read is a bug to surface.
      if (!isOutage(error)) throw error;
      const seen = cache.get(key, this.maxAgeMs, now);
      if (!seen) throw unavailable(error);
      stale.push(seen.seenAt);
      return seen.value;
    };

    let customer: Customer | null = null;
    if (customers.status === 'fulfilled') {
      customer = customers.value[0] ?? null;
      if (customer) this.customers.put(customer.id, customer, now);
    } else if (customerId !== null) {
      customer = fallback(this.customers, customerId, customers.reason);
    }

    const productBySku = new Map<string, Product | null>();
    distinct.forEach((sku, i) => {
      if (products.status === 'rejected') return productBySku.set(sku, fallback(this.products, sku, products.reason));
      const product = products.value[i] ?? null;
      if (product) this.products.put(sku, product, now);
      return productBySku.set(sku, product);
    });

    const priceBySku = new Map<string, Money | null>();
    const priceKey = (sku: string) => JSON.stringify([customerId, sku]);
    distinct.forEach((sku, i) => {
      if (prices.status === 'fulfilled') {
        const price = prices.value[i] ?? null;
        if (price && customerId !== null) this.prices.put(priceKey(sku), price, now);
        return priceBySku.set(sku, price);
      }
      // The ERP refuses a price list for a customer it does not know: nothing is priced.
      if (isCustomerNotFound(prices.reason) || customer === null) return priceBySku.set(sku, null);
      return priceBySku.set(sku, fallback(this.prices, priceKey(sku), prices.reason));
    });

    return { customer, products: productBySku, prices: priceBySku, degradedSince: stale.length > 0 ? Math.min(...stale) : null };
  }
}

function isCustomerNotFound(error: unknown): boolean {
  return error instanceof BackendError && error.kind === 'client-error' && error.code === 'CustomerNotFound';
}

/** An outage without a usable cached answer. */
function unavailable(error: unknown): OrderCaptureError {
  return new OrderCaptureError('BACKEND_UNAVAILABLE', 'The ERP is unavailable and the customer or price data is not known recently enough to take the order; try again shortly.', 'erp', { cause: error });
}
