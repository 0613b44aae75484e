import { HttpError } from './http-kit';
import type { CancelReason, OrderDraft, StoreOrder } from './commerce-documents';
import { WORLD_CURRENCY, generateWorld, type World, type WorldCustomer, type WorldOrder, type WorldProduct } from './world';

/**
 * The store's orders: the seeded ones, plus those created through the API (by the hub, or by the
 * simulated shoppers of the activity driver).
 */

/** The seeded numbering steps by 7; new orders continue it so ids stay unique and ordered. */
const COMMERCE_ID_STEP = 7;
const FULFILLED: ReadonlySet<StoreOrder['status']> = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED']);

interface StoreIndex {
  newestFirst: StoreOrder[];
  byName: Map<string, StoreOrder>;
  byId: Map<number, StoreOrder>;
  customers: WorldCustomer[];
  customersById: Map<string, WorldCustomer>;
  sellable: WorldProduct[];
  nextCommerceId: number;
}

function seededOrder(o: WorldOrder): StoreOrder {
  const cancelled = o.status === 'CANCELLED';
  return {
    id: o.id,
    commerceId: o.commerceId,
    channel: o.channel,
    externalRef: o.externalRef,
    status: o.status,
    placedAtMs: o.placedAtMs,
    customerId: o.customerId,
    lines: o.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, priceCents: l.unitPriceCents })),
    cancelledAtMs: cancelled ? o.placedAtMs : null,
    cancelReason: cancelled ? 'customer' : null,
    note: null,
  };
}

/** Newest first; ties broken by the higher id, as the listing pages them. */
export function newerFirst(a: StoreOrder, b: StoreOrder): number {
  return b.placedAtMs - a.placedAtMs || b.commerceId - a.commerceId;
}

function indexWorld(world: World): StoreIndex {
  const orders = world.orders.map(seededOrder);
  return {
    newestFirst: [...orders].sort(newerFirst),
    byName: new Map(orders.map((o) => [o.id, o])),
    byId: new Map(orders.map((o) => [o.commerceId, o])),
    customers: world.customers,
    customersById: new Map(world.customers.map((c) => [c.id, c])),
    sellable: world.products.filter((p) => p.sellable),
    nextCommerceId: Math.max(0, ...orders.map((o) => o.commerceId)) + COMMERCE_ID_STEP,
  };
}

/** The commerce platform's state; reset() restores the seeded orders. */
export class CommerceStore {
  private index = indexWorld(generateWorld());

  reset(): void {
    this.index = indexWorld(generateWorld());
  }

  get newestFirst(): readonly StoreOrder[] {
    return this.index.newestFirst;
  }

  byName(name: string): StoreOrder | undefined {
    return this.index.byName.get(name);
  }

  byId(commerceId: number): StoreOrder | undefined {
    return this.index.byId.get(commerceId);
  }

  customerName(customerId: string): string | null {
    return this.index.customersById.get(customerId)?.name ?? null;
  }

  /** Customers and sellable products, for the activity driver's shoppers. */
  get customers(): readonly WorldCustomer[] {
    return this.index.customers;
  }

  get sellable(): readonly WorldProduct[] {
    return this.index.sellable;
  }

  /** Creates the order, or returns the one already named so (whatever the repeat says). */
  create(draft: OrderDraft): { order: StoreOrder; created: boolean } {
    const existing = this.index.byName.get(draft.name);
    if (existing) return { order: existing, created: false };
    if (!this.index.customersById.has(draft.customerId)) throw new HttpError(422, 'customer', `${draft.customerId} does not exist`);
    if (draft.currency !== WORLD_CURRENCY) throw new HttpError(422, 'currency', `must be the store currency ${WORLD_CURRENCY}`);
    const order: StoreOrder = {
      id: draft.name,
      commerceId: this.index.nextCommerceId,
      channel: draft.sourceName,
      externalRef: draft.sourceIdentifier,
      status: draft.status,
      placedAtMs: draft.createdAtMs,
      customerId: draft.customerId,
      lines: draft.lines.map((l) => ({ ...l })),
      cancelledAtMs: null,
      cancelReason: null,
      note: null,
    };
    this.index.nextCommerceId += COMMERCE_ID_STEP;
    const list = this.index.newestFirst;
    const at = list.findIndex((o) => newerFirst(order, o) < 0);
    list.splice(at === -1 ? list.length : at, 0, order);
    this.index.byName.set(order.id, order);
    this.index.byId.set(order.commerceId, order);
    return { order, created: true };
  }

  /** Cancels an order not yet fulfilled; cancelling it again changes nothing. */
  cancel(commerceId: number, reason: CancelReason, note: string | null): StoreOrder {
    const order = this.index.byId.get(commerceId);
    if (!order) throw new HttpError(404, 'not_found', 'Not Found');
    if (order.status === 'CANCELLED') return order;
    if (FULFILLED.has(order.status)) throw new HttpError(422, 'base', 'Cannot cancel an order that has been fulfilled');
    order.status = 'CANCELLED';
    order.cancelledAtMs = Math.max(Date.now(), order.placedAtMs);
    order.cancelReason = reason;
    order.note = note;
    return order;
  }
}
