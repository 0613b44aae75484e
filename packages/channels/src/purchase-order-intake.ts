import type { Identity } from '@crossdock/auth';
import { poAcknowledgmentSet, type PoAckLine, type PurchaseOrder } from '@crossdock/edi';
import type { ExceptionStore } from '@crossdock/exceptions';
import { OrderCaptureError, type OrderLineRequest, type PlaceOrderRequest, type PlaceOrderResult, type UserError } from '@crossdock/order-capture';
import { backoffDelayMs, type OutboxPolicy, type PlacedOrder } from '@crossdock/orders';
import type { EdiDocuments } from './edi-documents';
import type { PartnerCatalog, PartnerDirectory } from './partner-directory';
import type { ChannelStore, PurchaseOrderLineRecord, PurchaseOrderOutcome, PurchaseOrderRecord } from './ports';

/** Why a PO was not accepted: a placeOrder UserError, or one of the intake's own codes (TEMPORARILY_UNAVAILABLE). */
export interface IntakeError {
  code: string;
  message: string;
  field: string[] | null;
}

/** What became of one PO, as the intake answers it. */
export interface PurchaseOrderResult {
  poNumber: string;
  setControlNumber: string;
  /**
   * duplicate: this PO was taken before (orderId is that order); held: kept as an exception until
   * the partner data is fixed; queued: a backend was unavailable, it is placed later by itself
   * (its 855 follows then).
   */
  outcome: Exclude<PurchaseOrderOutcome, 'pending'> | 'duplicate';
  orderId: string | null;
  errors: IntakeError[];
  /** The 855's document id, when the partner wants 855s. */
  acknowledgmentId: string | null;
}

/** Places orders; OrderCapture.placeOrder in the hub. */
export type PlaceOrder = (identity: Identity, request: PlaceOrderRequest) => Promise<PlaceOrderResult>;

/** Units available to promise per SKU right now (across warehouses), for backorders. */
export type AvailableToPromise = (skus: readonly string[]) => Promise<Map<string, number>>;

/** What PurchaseOrderIntake runs on. */
export interface PurchaseOrderIntakeDependencies {
  store: ChannelStore;
  documents: EdiDocuments;
  exceptions: ExceptionStore;
  placeOrder: PlaceOrder;
  availableToPromise: AvailableToPromise | null;
  /** Back-off of queued POs' next tries (the maximum delay caps it; they are tried until placed or refused). */
  retryPolicy: OutboxPolicy;
  /** A PO left pending this long by a crashed process is taken over by a resend (default 2 min). */
  staleMs?: number;
  /** Told when a PO was queued for another try and when it is due (the retry loop wakes then). */
  onQueued?: (nextAttemptAt: string) => void;
}

/** The head of a PO, all that its answer and its 855 need besides the record. */
type PurchaseOrderHead = Pick<PurchaseOrder, 'poNumber' | 'poDate' | 'setControlNumber'>;

/** Codes that mean our or the partner's master data is wrong, not the order: kept for replay once fixed. */
const DATA_PROBLEMS = new Set(['UNKNOWN_SKU', 'UNKNOWN_CUSTOMER', 'SKU_NOT_SELLABLE', 'UNKNOWN_CHANNEL']);

/**
 * One PO of an accepted 850 into order capture: items through the partner's cross-reference and
 * unit table, the duplicate guard (partner + BEG03), placeOrder under an idempotency key of the
 * PO and attempt, backorders when the partner takes them, the 855, and an exception with the raw
 * interchange when the PO cannot be placed because of data someone must fix. A PO that cannot be
 * placed now for a passing reason (a backend down or slow: not the partner's fault, nothing to
 * fix) is queued and tried again with back-off until it is placed or refused (retryDue).
 */
export class PurchaseOrderIntake {
  constructor(private readonly deps: PurchaseOrderIntakeDependencies) {}

  async place(catalog: PartnerCatalog, order: PurchaseOrder, context: { interchangeId: string; raw: string; now: Date }): Promise<PurchaseOrderResult> {
    const { partner } = catalog;
    const lines = order.lines.map((line): PurchaseOrderLineRecord => {
      const resolved = catalog.resolve(line);
      return {
        assignedId: line.assignedId ?? String(line.index),
        productIds: line.productIds,
        uom: line.uom,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        sku: resolved.ok ? resolved.sku : null,
        factor: catalog.unitFactor(line.uom),
      };
    });
    const record: PurchaseOrderRecord = {
      id: `${partner.id}:${order.poNumber}`,
      partnerId: partner.id,
      poNumber: order.poNumber,
      poDate: order.poDate,
      interchangeId: context.interchangeId,
      outcome: 'pending',
      attempt: 1,
      orderId: null,
      lines,
      followUpsOpen: false,
      updatedAt: context.now.toISOString(),
    };
    const claim = await this.deps.store.claimPurchaseOrder(record, context.now, this.deps.staleMs ?? 120_000);
    if (claim.status === 'duplicate') return this.result(order, 'duplicate', claim.record.orderId, [], null);
    const unresolved = order.lines.map((line) => catalog.resolve(line)).flatMap((r, i) => (r.ok ? [] : [userErrorOf('UNKNOWN_SKU', r.reason, i)]));
    if (unresolved.length > 0) return this.hold(claim.record, order, unresolved, context.raw);
    return this.placeClaimed(catalog, claim.record, order, context.raw);
  }

  /**
   * Tries the queued POs that are due once more (under the same idempotency key, so a try that
   * timed out after placing finds its order); answers how many were tried.
   */
  async retryDue(partners: PartnerDirectory, now: Date, limit = 20): Promise<number> {
    const due = await this.deps.store.claimDuePurchaseOrderRetries(now, limit);
    for (const record of due) {
      const catalog = partners.get(record.partnerId);
      if (!catalog || !record.retry) continue;
      const head = { poNumber: record.poNumber, poDate: record.poDate, setControlNumber: record.retry.setControlNumber };
      await this.placeClaimed(catalog, record, head, record.retry.raw);
    }
    return due.length;
  }

  private async placeClaimed(catalog: PartnerCatalog, record: PurchaseOrderRecord, order: PurchaseOrderHead, raw: string): Promise<PurchaseOrderResult> {
    const requested = record.lines.map((line) => ({ sku: line.sku ?? '', quantity: line.quantity * line.factor }));
    let placed: PlaceOrderResult;
    let backorder: PlacedOrder | null = null;
    try {
      placed = await this.placeLines(catalog, record, requested, '');
      if (!placed.order && !placed.errors.some((e) => DATA_PROBLEMS.has(e.code))) backorder = await this.backorder(catalog, record, requested, placed.errors);
    } catch (error) {
      // Order capture, the WMS or a store could not answer now: nothing the partner can fix.
      return this.queue(record, order, raw, error);
    }
    if (placed.order) return this.accept(catalog, record, order, placed.order, requested);
    if (placed.errors.some((e) => DATA_PROBLEMS.has(e.code))) return this.hold(record, order, placed.errors, raw);
    if (backorder) return this.accept(catalog, record, order, backorder, requested);
    return this.reject(catalog, record, order, placed.errors);
  }

  /** Queued for another try after a passing failure: no exception, no 855 yet. */
  private async queue(record: PurchaseOrderRecord, order: PurchaseOrderHead, raw: string, error: unknown): Promise<PurchaseOrderResult> {
    const attempts = (record.retry?.attempts ?? 0) + 1;
    const now = new Date();
    const reason = error instanceof OrderCaptureError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    const nextAttemptAt = new Date(now.getTime() + backoffDelayMs(attempts, this.deps.retryPolicy)).toISOString();
    const retry = { attempts, nextAttemptAt, lastError: reason, setControlNumber: order.setControlNumber, raw };
    await this.deps.store.savePurchaseOrder({ ...record, outcome: 'queued', retry, updatedAt: now.toISOString() });
    this.deps.onQueued?.(nextAttemptAt);
    const message = `could not be placed now (${reason}); it is tried again from ${nextAttemptAt} and acknowledged then`;
    return this.result(order, 'queued', null, [{ code: 'TEMPORARILY_UNAVAILABLE', message, field: null }], null);
  }

  private placeLines(catalog: PartnerCatalog, record: PurchaseOrderRecord, lines: readonly OrderLineRequest[], variant: string): Promise<PlaceOrderResult> {
    const { partner } = catalog;
    const identity: Identity = { subject: `edi:${partner.id}`, scopes: ['orders:write'], customerId: null, channel: partner.channel };
    return this.deps.placeOrder(identity, {
      idempotencyKey: `${partner.id}:${record.poNumber}:${record.attempt}${variant}`,
      channel: partner.channel,
      externalRef: record.poNumber,
      customerId: partner.customerId,
      lines,
    });
  }

  /** Only stock was short and the partner takes backorders: place what can ship now, the rest is backordered in the 855. */
  private async backorder(catalog: PartnerCatalog, record: PurchaseOrderRecord, requested: readonly OrderLineRequest[], errors: readonly UserError[]): Promise<PlacedOrder | null> {
    if (!catalog.partner.backorders || !this.deps.availableToPromise || errors.some((e) => e.code !== 'INSUFFICIENT_STOCK')) return null;
    const available = await this.deps.availableToPromise(requested.map((line) => line.sku));
    const remaining = new Map(available);
    const partial = requested.map((line) => {
      const units = Math.min(line.quantity, remaining.get(line.sku) ?? 0);
      remaining.set(line.sku, (remaining.get(line.sku) ?? 0) - units);
      return { sku: line.sku, quantity: units };
    });
    const lines = partial.filter((line) => line.quantity > 0);
    if (lines.length === 0) return null;
    const placed = await this.placeLines(catalog, record, lines, ':partial');
    return placed.order;
  }

  private async accept(catalog: PartnerCatalog, record: PurchaseOrderRecord, order: PurchaseOrderHead, placed: PlacedOrder, requested: readonly OrderLineRequest[]): Promise<PurchaseOrderResult> {
    const wantsFollowUps = catalog.partner.documents.includes('856') || catalog.partner.documents.includes('810');
    const shipping = new Map<string, number>();
    for (const line of placed.lines) shipping.set(line.sku, (shipping.get(line.sku) ?? 0) + line.quantity);
    const ackLines = record.lines.map((line, i): PoAckLine => {
      const units = requested[i]?.quantity ?? 0;
      const now = Math.min(units, shipping.get(line.sku ?? '') ?? 0);
      shipping.set(line.sku ?? '', (shipping.get(line.sku ?? '') ?? 0) - now);
      const accepted = Math.floor(now / line.factor);
      const backordered = line.quantity - accepted;
      const status = backordered === 0 ? 'accepted' : accepted === 0 && !catalog.partner.backorders ? 'rejected' : 'backordered';
      return { ...ackBase(line), status, acceptedQuantity: accepted, backorderedQuantity: backordered };
    });
    // The record and the 855 do not wait for each other: a crash between them leaves the PO pending, and a
    // resend taking it over places nothing twice (placeOrder's key) and finds the 855 issued (its reference).
    const [, acknowledgmentId] = await Promise.all([
      this.deps.store.savePurchaseOrder({ ...record, outcome: 'accepted', orderId: placed.id, followUpsOpen: wantsFollowUps, retry: null, updatedAt: new Date().toISOString() }),
      this.acknowledge(catalog, order, record.attempt, placed.id, ackLines),
    ]);
    return this.result(order, 'accepted', placed.id, [], acknowledgmentId);
  }

  private async reject(catalog: PartnerCatalog, record: PurchaseOrderRecord, order: PurchaseOrderHead, errors: UserError[]): Promise<PurchaseOrderResult> {
    await this.deps.store.savePurchaseOrder({ ...record, outcome: 'rejected', retry: null, updatedAt: new Date().toISOString() });
    const ackLines = record.lines.map((line): PoAckLine => ({ ...ackBase(line), status: 'rejected', acceptedQuantity: 0, backorderedQuantity: 0 }));
    return this.result(order, 'rejected', null, errors, await this.acknowledge(catalog, order, record.attempt, null, ackLines));
  }

  /** Kept for replay with the raw interchange: the partner's or our data must be fixed first. No 855 yet. */
  private async hold(record: PurchaseOrderRecord, order: PurchaseOrderHead, errors: readonly IntakeError[], raw: string): Promise<PurchaseOrderResult> {
    await this.deps.store.savePurchaseOrder({ ...record, outcome: 'held', retry: null, updatedAt: new Date().toISOString() });
    await this.deps.exceptions.record({
      kind: 'malformed-edi',
      subject: `edi:${record.partnerId}:po:${record.poNumber}`,
      channel: 'edi',
      reason: `PO ${record.poNumber} from ${record.partnerId} held: ${errors.map((e) => e.message).join('; ')}`,
      rawPayload: raw,
    });
    return this.result(order, 'held', null, [...errors], null);
  }

  private async acknowledge(catalog: PartnerCatalog, order: PurchaseOrderHead, attempt: number, orderId: string | null, lines: PoAckLine[]): Promise<string | null> {
    if (!catalog.partner.documents.includes('855')) return null;
    const set = poAcknowledgmentSet({ poNumber: order.poNumber, poDate: order.poDate, orderId, at: new Date(), lines });
    const bak02 = set.body[0]?.[2] ?? null;
    // By PO and attempt: a PO refused, fixed and sent again gets an 855 for each answer.
    const reference = attempt === 1 ? order.poNumber : `${order.poNumber}#${attempt}`;
    // Fresh: the PO's claim made this attempt ours (a crashed attempt taken over may have issued it; issue() copes).
    const document = await this.deps.documents.issue({ partner: catalog.partner, type: '855', reference, orderId, status: bak02, sets: [set], fresh: true });
    return document.id;
  }

  private result(order: PurchaseOrderHead, outcome: PurchaseOrderResult['outcome'], orderId: string | null, errors: IntakeError[], acknowledgmentId: string | null): PurchaseOrderResult {
    return { poNumber: order.poNumber, setControlNumber: order.setControlNumber, outcome, orderId, errors, acknowledgmentId };
  }
}

function ackBase(line: PurchaseOrderLineRecord): Pick<PoAckLine, 'assignedId' | 'productIds' | 'uom' | 'orderedQuantity' | 'unitPrice'> {
  return { assignedId: line.assignedId, productIds: line.productIds, uom: line.uom, orderedQuantity: line.quantity, unitPrice: line.unitPrice };
}

function userErrorOf(code: 'UNKNOWN_SKU', message: string, index: number): UserError {
  return { code, message, field: ['lines', String(index), 'sku'] };
}
