import { describe, expect, it } from '@jest/globals';
import { BackendError, type ErpConnector } from '@crossdock/connectors';
import { money, type Customer, type Money, type Product } from '@crossdock/model';
import { MasterDataReader, type ReferenceSnapshots } from '../src/master-data';

const CUSTOMER: Customer = { id: 'C1', name: 'Acme', onHold: false, creditLimit: money('1000', 'USD'), creditAvailable: money('800', 'USD') };
const PRODUCT: Product = { sku: 'S1', name: 'Widget', uom: 'EA', listPrice: money('10', 'USD'), sellable: true };

const unused = (): never => {
  throw new Error('validation never calls this');
};

/** An ERP whose answers and failures a test sets; validation makes only the first three calls. */
class FakeErp implements ErpConnector {
  failure: unknown = null;
  listProducts = unused;
  erpOrdersByOrderIds = unused;
  invoicesByOrderIds = unused;
  createSalesOrder = unused;
  cancelSalesOrder = unused;

  async customersByIds(ids: readonly string[]): Promise<(Customer | null)[]> {
    if (this.failure) throw this.failure;
    return ids.map((id) => (id === CUSTOMER.id ? CUSTOMER : null));
  }
  async productsBySkus(skus: readonly string[]): Promise<(Product | null)[]> {
    if (this.failure) throw this.failure;
    return skus.map((sku) => (sku === PRODUCT.sku ? PRODUCT : null));
  }
  async pricesFor(customerId: string, skus: readonly string[]): Promise<(Money | null)[]> {
    if (this.failure) throw this.failure;
    if (customerId !== CUSTOMER.id) throw new BackendError({ backend: 'erp', kind: 'client-error', status: 404, code: 'CustomerNotFound', message: 'no such customer' });
    return skus.map((sku) => (sku === PRODUCT.sku ? money('9.50', 'USD') : null));
  }
}

const outage = new BackendError({ backend: 'erp', kind: 'reset', message: 'socket hang up' });

function reader(erp: FakeErp, clock: { now: number }) {
  return new MasterDataReader(erp, 60_000, () => clock.now);
}

describe('MasterDataReader', () => {
  it('reads customer, products and prices from the ERP', async () => {
    const clock = { now: 1_000 };
    const data = await reader(new FakeErp(), clock).read('C1', ['S1', 'NOPE']);
    expect(data).toEqual({
      customer: CUSTOMER,
      products: new Map([['S1', PRODUCT], ['NOPE', null]]),
      prices: new Map([['S1', money('9.50', 'USD')], ['NOPE', null]]),
      degradedSince: null,
    });
  });

  it('answers an unknown customer with no prices (the ERP refuses its price list)', async () => {
    const data = await reader(new FakeErp(), { now: 0 }).read('C9', ['S1']);
    expect(data.customer).toBeNull();
    expect(data.prices.get('S1')).toBeNull();
  });

  it('serves answers seen within the age limit while the ERP is down, and refuses older ones', async () => {
    const erp = new FakeErp();
    const clock = { now: 1_000 };
    const master = reader(erp, clock);
    await master.read('C1', ['S1']);
    erp.failure = outage;
    clock.now = 31_000;
    expect(await master.read('C1', ['S1'])).toMatchObject({ customer: CUSTOMER, degradedSince: 1_000 });
    await expect(master.read('C1', ['S2'])).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
    clock.now = 61_001;
    await expect(master.read('C1', ['S1'])).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
  });

  it('does not hide a bug behind the cache', async () => {
    const erp = new FakeErp();
    const master = reader(erp, { now: 0 });
    await master.read('C1', ['S1']);
    erp.failure = new BackendError({ backend: 'erp', kind: 'bad-response', message: 'Balance is not money' });
    await expect(master.read('C1', ['S1'])).rejects.toBe(erp.failure);
  });

  it('bridges an outage with the shared snapshots a previous process (or another replica) left, within the age limit', async () => {
    const erp = new FakeErp();
    const clock = { now: 1_000 };
    const shared = new SharedSnapshots(clock);
    await new MasterDataReader(erp, 60_000, () => clock.now, shared).read('C1', ['S1']);
    erp.failure = outage;
    clock.now = 31_000;
    // A fresh reader: nothing in its own memory, as after a restart.
    const restarted = new MasterDataReader(erp, 60_000, () => clock.now, shared);
    expect(await restarted.read('C1', ['S1'])).toEqual({
      customer: CUSTOMER,
      products: new Map([['S1', PRODUCT]]),
      prices: new Map([['S1', money('9.50', 'USD')]]),
      degradedSince: 1_000,
    });
    await expect(restarted.read('C1', ['S2'])).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
    clock.now = 61_001;
    await expect(new MasterDataReader(erp, 60_000, () => clock.now, shared).read('C1', ['S1'])).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
});

/** The fallback cache's port over a map, storing JSON as the real store does, stamped with the clock's time. */
class SharedSnapshots implements ReferenceSnapshots {
  private readonly entries = new Map<string, { value: unknown; asOf: Date }>();

  constructor(private readonly clock: { now: number }) {}

  remember(kind: string, entries: readonly { key: string; value: unknown }[]): void {
    for (const { key, value } of entries) this.entries.set(`${kind}|${key}`, { value: JSON.parse(JSON.stringify(value)), asOf: new Date(this.clock.now) });
  }

  async recall(kind: string, keys: readonly string[]): Promise<({ value: unknown; asOf: Date } | null)[]> {
    return keys.map((key) => this.entries.get(`${kind}|${key}`) ?? null);
  }
}
