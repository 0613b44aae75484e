import { describe, expect, it } from '@jest/globals';
import { BackendError } from '@crossdock/connectors';
import { money, type Customer, type Money, type Product } from '@crossdock/model';
import { JoinedErpReads, type MasterDataSource } from '../src/joined-erp-reads';

const customer = (id: string): Customer => ({ id, name: `Customer ${id}`, onHold: false, creditLimit: money('1000', 'USD'), creditAvailable: money('800', 'USD') });
const product = (sku: string): Product => ({ sku, name: `Item ${sku}`, uom: 'EA', listPrice: money('10', 'USD'), sellable: true });

/** One ERP call as the fake saw it: what it asked for, and how the test ends it. */
interface HeldCall {
  kind: 'customers' | 'products' | 'prices';
  customerId?: string;
  /** When the call was made (performance.now()). */
  at: number;
  keys: readonly string[];
  answer(): void;
  fail(error: Error): void;
}

/**
 * An ERP whose every call waits until the test answers it, so a test decides what is in flight.
 * Known customers start with "C", known SKUs with "S"; a price is the SKU's number in USD.
 */
class HeldErp implements MasterDataSource {
  readonly calls: HeldCall[] = [];

  customersByIds(ids: readonly string[]): Promise<(Customer | null)[]> {
    return this.hold('customers', ids, undefined, () => ids.map((id) => (id.startsWith('C') ? customer(id) : null)));
  }
  productsBySkus(skus: readonly string[]): Promise<(Product | null)[]> {
    return this.hold('products', skus, undefined, () => skus.map((sku) => (sku.startsWith('S') ? product(sku) : null)));
  }
  pricesFor(customerId: string, skus: readonly string[]): Promise<(Money | null)[]> {
    return this.hold('prices', skus, customerId, () => {
      if (!customerId.startsWith('C')) throw new BackendError({ backend: 'erp', kind: 'client-error', status: 404, code: 'CustomerNotFound', message: `no customer ${customerId}` });
      return skus.map((sku) => (sku.startsWith('S') ? money(sku.slice(1), 'USD') : null));
    });
  }

  /** The calls of a kind made so far. */
  of(kind: HeldCall['kind']): HeldCall[] {
    return this.calls.filter((call) => call.kind === kind);
  }

  private hold<T>(kind: HeldCall['kind'], keys: readonly string[], customerId: string | undefined, answerWith: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.push({
        kind,
        at: performance.now(),
        keys: [...keys],
        ...(customerId === undefined ? {} : { customerId }),
        answer: () => {
          try {
            resolve(answerWith());
          } catch (error) {
            reject(error);
          }
        },
        fail: reject,
      });
    });
  }
}

/** A wait for a slot far longer than any test, so that only a freed slot lets a held read go (not a slow machine). */
const HELD = 60_000;

/** Lets scheduled batches go out: DataLoader dispatches after the promise jobs and a nextTick. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('JoinedErpReads', () => {
  it('sends a lone order its own call at once, with all of its keys together', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: HELD });
    const products = reads.productsBySkus(['S1', 'S2', 'S1']);
    await settle();
    expect(erp.of('products').map((call) => [...call.keys].sort())).toEqual([['S1', 'S1', 'S2']]);
    erp.of('products')[0]!.answer();
    await expect(products).resolves.toEqual([product('S1'), product('S2'), product('S1')]);
  });

  it('joins the reads asked for while a call is in flight into the next call, and answers each its own keys', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: HELD });
    const first = reads.productsBySkus(['S1']);
    await settle();
    const later = [reads.productsBySkus(['S2', 'X9']), reads.productsBySkus(['S3']), reads.productsBySkus(['S2'])];
    await settle();
    // Nothing else goes out while the first call holds the only slot.
    expect(erp.of('products')).toHaveLength(1);

    erp.of('products')[0]!.answer();
    await expect(first).resolves.toEqual([product('S1')]);
    await settle();
    expect(erp.of('products')).toHaveLength(2);
    expect([...erp.of('products')[1]!.keys].sort()).toEqual(['S2', 'S2', 'S3', 'X9']);
    erp.of('products')[1]!.answer();
    await expect(Promise.all(later)).resolves.toEqual([[product('S2'), null], [product('S3')], [product('S2')]]);
  });

  it('never answers a read with a call that was already under way when it was asked', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: HELD });
    void reads.customersByIds(['C1']);
    await settle();
    const late = reads.customersByIds(['C1']);
    erp.of('customers')[0]!.answer();
    await settle();
    // The second order asked after the first call had left: it gets a call of its own.
    expect(erp.of('customers')).toHaveLength(2);
    erp.of('customers')[1]!.answer();
    await expect(late).resolves.toEqual([customer('C1')]);
  });

  it('keeps up to maxInFlight calls of a kind going before reads start to wait', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 2, maxWaitMs: HELD });
    void reads.customersByIds(['C1']);
    await settle();
    void reads.customersByIds(['C2']);
    await settle();
    void reads.customersByIds(['C3']);
    void reads.customersByIds(['C4']);
    await settle();
    expect(erp.of('customers').map((call) => call.keys)).toEqual([['C1'], ['C2']]);
    erp.of('customers')[1]!.answer();
    await settle();
    expect(erp.of('customers').map((call) => call.keys)).toEqual([['C1'], ['C2'], ['C3', 'C4']]);
  });

  it('asks prices once per customer of a joined read, and a customer the ERP refuses fails only its own reads', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: HELD });
    void reads.pricesFor('C1', ['S1']);
    await settle();
    const a = reads.pricesFor('C1', ['S5', 'X1']);
    const b = reads.pricesFor('C2', ['S7']);
    const refused = reads.pricesFor('NOPE', ['S5']);
    const c = reads.pricesFor('C1', ['S8']);
    erp.of('prices')[0]!.answer();
    await settle();
    const joined = erp.of('prices').slice(1);
    expect(joined.map((call) => [call.customerId, [...call.keys].sort()])).toEqual([
      ['C1', ['S5', 'S8', 'X1']],
      ['C2', ['S7']],
      ['NOPE', ['S5']],
    ]);
    joined.forEach((call) => call.answer());
    await expect(a).resolves.toEqual([money('5', 'USD'), null]);
    await expect(b).resolves.toEqual([money('7', 'USD')]);
    await expect(c).resolves.toEqual([money('8', 'USD')]);
    await expect(refused).rejects.toMatchObject({ name: 'BackendError', code: 'CustomerNotFound' });
  });

  it('fails every read of a failed call with its error, and frees the slot for the next', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: HELD });
    void reads.productsBySkus(['S0']).catch(() => undefined);
    await settle();
    const joined = [reads.productsBySkus(['S1']), reads.productsBySkus(['S2'])];
    erp.of('products')[0]!.answer();
    await settle();
    const outage = new BackendError({ backend: 'erp', kind: 'reset', message: 'socket hang up' });
    erp.of('products')[1]!.fail(outage);
    for (const read of joined) await expect(read).rejects.toBe(outage);

    const after = reads.productsBySkus(['S3']);
    await settle();
    expect(erp.of('products')).toHaveLength(3);
    erp.of('products')[2]!.answer();
    await expect(after).resolves.toEqual([product('S3')]);
  });

  it('sends a read that waited maxWaitMs for a slot anyway, so a hanging call holds the others that long at most', async () => {
    const erp = new HeldErp();
    const reads = new JoinedErpReads(erp, { maxInFlight: 1, maxWaitMs: 50 });
    void reads.customersByIds(['C1']);
    await settle();
    const askedAt = performance.now();
    const waiting = reads.customersByIds(['C2']);
    // The first call never answers. The second read goes out beside it, but not before it has
    // waited its 50 ms for the slot (a timer never fires early; a busy machine can only make it later).
    const deadline = askedAt + 10_000;
    while (erp.of('customers').length < 2 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(erp.of('customers').map((call) => call.keys)).toEqual([['C1'], ['C2']]);
    expect(erp.of('customers')[1]!.at - askedAt).toBeGreaterThanOrEqual(49);
    erp.of('customers')[1]!.answer();
    await expect(waiting).resolves.toEqual([customer('C2')]);
  });

  it('refuses a slot count that is not a whole number of at least 1, and a negative wait', () => {
    expect(() => new JoinedErpReads(new HeldErp(), { maxInFlight: 0 })).toThrow('maxInFlight must be a whole number of at least 1, got 0');
    expect(() => new JoinedErpReads(new HeldErp(), { maxWaitMs: -1 })).toThrow('maxWaitMs must be a number of milliseconds >= 0, got -1');
  });
});
