import type { Identity } from '@crossdock/auth';
import { compareMoney, money, toIsoUtc, type Money } from '@crossdock/model';
import { newHubOrderId, type OrderStore, type OutboxWorker, type PlacedOrder } from '@crossdock/orders';
import type { ReserveResult, StockReservations } from '@crossdock/reservations';
import { coversOrder, requireOrdersWrite } from './caller-access';
import type { CaptureLog } from './capture-log';
import { orderStoreFailure, reservationStoreFailure } from './store-failures';
import type { OrderCapturePolicy } from './capture-policy';
import { lineField, OrderCaptureError, userError, type PlaceOrderRequest, type PlaceOrderResult, type UserError } from './capture-types';
import type { CaptureAnswer, IdempotentAnswers } from './idempotent-answers';
import { checkIdempotencyKey, checkOrderShape } from './input-checks';
import type { MasterDataReader } from './master-data';
import { priceOrder } from './order-pricing';
import type { WarehousePriority } from './warehouse-priority';

/** What the placement pipeline runs on; OrderCapture builds it. */
export interface PlacementDependencies {
  masterData: MasterDataReader;
  warehouses: WarehousePriority;
  reservations: StockReservations;
  orders: OrderStore;
  outbox: OutboxWorker;
  answers: IdempotentAnswers;
  policy: OrderCapturePolicy;
  log: CaptureLog;
  afterOrderStored?: (order: PlacedOrder) => void;
}

/**
 * placeOrder: identity checks, then once per `<channel>:<idempotencyKey>`: validation against
 * ERP master data (every problem at once), an atomic reservation of all lines, the order
 * written to the store BEFORE any backend hears of it, then one immediate posting attempt to the
 * ERP, WMS and commerce platform (the outbox worker retries whatever fails).
 */
export class OrderPlacement {
  constructor(private readonly deps: PlacementDependencies) {}

  async place(identity: Identity | null, request: PlaceOrderRequest): Promise<PlaceOrderResult> {
    requireOrdersWrite(identity);
    // Before the key is even looked at: a channel partner has no business in another channel's keys.
    if (identity && identity.channel !== null && identity.channel !== request.channel) {
      return rejected([userError('CHANNEL_MISMATCH', `this token may only place orders for channel "${identity.channel}"`, ['channel'])]);
    }
    const keyErrors = checkIdempotencyKey(request.idempotencyKey);
    if (keyErrors.length > 0) return rejected(keyErrors);
    const orderKey = `${request.channel}:${request.idempotencyKey}`;
    // The order as this request stored and posted it (or found it stored): current, so not read again.
    const captured: { order: PlacedOrder | null } = { order: null };
    const answer = await this.deps.answers.answer(
      `order-capture:${orderKey}`,
      async () => {
        const outcome = await this.capture(identity, request, orderKey);
        captured.order = outcome.order;
        return outcome.answer;
      },
      () => this.storedAnswer(orderKey),
    );
    if (identity && identity.customerId !== null && answer.customerId !== identity.customerId) {
      // The key was first used for another customer of this channel: answering would reveal their order.
      return rejected([userError('IDEMPOTENCY_KEY_CONFLICT', 'this idempotencyKey was already used for another order; use a new key', ['idempotencyKey'])]);
    }
    if (answer.kind === 'rejected') return rejected(answer.errors);
    // A repeat re-reads, so it shows the order as it is now (postings done, cancelled, ...).
    const [order] = captured.order ? [captured.order] : await this.deps.orders.get([answer.orderId]).catch((error: unknown) => Promise.reject(orderStoreFailure(error)));
    if (!order) throw new Error(`order ${answer.orderId}, the stored answer for ${orderKey}, is missing from the order store`);
    return { order, errors: [] };
  }

  /** The order stored under the key, as an answer: what a request that crashed after storing it left. */
  private async storedAnswer(orderKey: string): Promise<CaptureAnswer | null> {
    const earlier = await this.deps.orders.getByIdempotencyKey(orderKey).catch((error: unknown) => Promise.reject(orderStoreFailure(error)));
    return earlier ? accepted(earlier) : null;
  }

  /** The answer for a new key, with the order it stored or found (null when rejected). */
  private async capture(identity: Identity | null, request: PlaceOrderRequest, orderKey: string): Promise<{ answer: CaptureAnswer; order: PlacedOrder | null }> {
    const { policy } = this.deps;
    // No look for an order an earlier request with this key stored before it died (without
    // storing its answer): that order stands, and this request finds it without a lookup of its
    // own on every new key. Accepted, the insert below loses to it on the unique key and answers
    // with it; rejected (the stock it holds, a customer put on hold since), `rejectedUnlessStored`
    // looks it up before answering.
    const shapeErrors = checkOrderShape(request, policy);
    const skus = request.lines.length > policy.maxLines ? [] : request.lines.map((line) => line.sku).filter((sku) => sku.trim().length > 0);
    const mayOrder = coversOrder(identity, { customerId: request.customerId, channel: request.channel });
    const master = await this.deps.masterData.read(mayOrder ? request.customerId : null, skus);
    const badQuantity = new Set(shapeErrors.flatMap((e) => (e.field?.[2] === 'quantity' ? [e.field[1]] : [])));
    const priced = priceOrder(request, master, (index) => !badQuantity.has(String(index)));
    const errors = [...shapeErrors, ...priced.errors];
    // A rejection belongs to whoever asked: a portal asking for another customer keeps its own key.
    const owner = identity?.customerId ?? request.customerId;
    if (errors.length > 0 || priced.total === null) return this.rejectedUnlessStored(orderKey, { kind: 'rejected', customerId: owner, errors });
    if (master.degradedSince !== null) this.checkDegradedValue(priced.total, master.degradedSince);

    const now = new Date();
    const orderId = newHubOrderId(now);
    const lines = priced.lines.map(({ lineNumber, sku, quantity }) => ({ lineNumber, sku, quantity }));
    const reserved = await this.reserve(orderId, lines);
    if (reserved.status === 'insufficient') {
      const shortages = reserved.shortages.map((s) =>
        userError('INSUFFICIENT_STOCK', `only ${s.available} of SKU ${s.sku} can be promised, ${s.requested} requested`, lineField(s.lineNumber - 1, 'quantity')),
      );
      return this.rejectedUnlessStored(orderKey, { kind: 'rejected', customerId: owner, errors: shortages });
    }
    const order: PlacedOrder = {
      id: orderId,
      idempotencyKey: orderKey,
      channel: request.channel,
      externalRef: request.externalRef,
      customerId: request.customerId,
      placedAt: toIsoUtc(now),
      status: 'ACCEPTED',
      lines: priced.lines,
      total: priced.total,
      allocations: reserved.allocations,
      // Leased to this process's outbox for the immediate attempt below: no claim needed.
      postings: this.deps.outbox.newPostings(now, policy.immediatePostingGraceMs),
      cancelledAt: null,
      cancelReason: null,
    };
    const stored = await this.store(order);
    return { answer: accepted(stored), order: stored };
  }

  /** The rejection, unless an earlier request with this key stored an order: that order is the answer. */
  private async rejectedUnlessStored(orderKey: string, rejection: CaptureAnswer): Promise<{ answer: CaptureAnswer; order: PlacedOrder | null }> {
    const earlier = await this.deps.orders.getByIdempotencyKey(orderKey).catch((error: unknown) => Promise.reject(orderStoreFailure(error)));
    return earlier ? { answer: accepted(earlier), order: earlier } : { answer: rejection, order: null };
  }

  /** Writes the order (the outbox) and attempts its postings once; returns the order that stands, as stored now. */
  private async store(order: PlacedOrder): Promise<PlacedOrder> {
    const giveBack = () => this.deps.reservations.release(order.id).catch((error: unknown) => this.deps.log({ level: 'error', message: 'could not release the reservation of an order that was not stored; the hold expiry releases it', orderId: order.id, error }));
    let inserted: 'inserted' | 'exists';
    try {
      inserted = await this.deps.orders.insert(order);
    } catch (error) {
      await giveBack();
      throw orderStoreFailure(error);
    }
    if (inserted === 'exists') {
      // Another request with this key got there first (its claim on the key had expired).
      await giveBack();
      const winner = await this.deps.orders.getByIdempotencyKey(order.idempotencyKey);
      if (!winner) throw new Error(`order store refused ${order.id} as a duplicate but holds no order for ${order.idempotencyKey}`);
      return winner;
    }
    this.deps.afterOrderStored?.(order);
    try {
      return await this.deps.outbox.postInserted(order);
    } catch (error) {
      // The order is stored and its postings QUEUED: the background worker delivers them.
      this.deps.log({ level: 'warn', message: 'immediate posting could not be recorded; the outbox worker retries', orderId: order.id, error });
      return order;
    }
  }

  private async reserve(orderId: string, lines: { lineNumber: number; sku: string; quantity: number }[]): Promise<ReserveResult> {
    const warehouses = await this.deps.warehouses.ids();
    try {
      return await this.deps.reservations.reserve(orderId, lines, warehouses);
    } catch (error) {
      throw reservationStoreFailure(error);
    }
  }

  /** ERP down: cached credit cannot know what was ordered meanwhile, so large orders wait for it. */
  private checkDegradedValue(total: Money, degradedSince: number): void {
    const cap = this.deps.policy.maxDegradedOrderValue;
    if (cap !== null && compareMoney(total, money(cap, total.currency)) > 0) {
      throw new OrderCaptureError(
        'BACKEND_UNAVAILABLE',
        `The ERP is unavailable; orders above ${cap} ${total.currency} are not taken on cached data (as of ${toIsoUtc(degradedSince)}). Try again shortly.`,
        'erp',
      );
    }
    this.deps.log({ level: 'info', message: `validated on cached ERP data as of ${toIsoUtc(degradedSince)}` });
  }
}

function accepted(order: PlacedOrder): CaptureAnswer {
  return { kind: 'accepted', orderId: order.id, customerId: order.customerId };
}

function rejected(errors: UserError[]): PlaceOrderResult {
  return { order: null, errors };
}
