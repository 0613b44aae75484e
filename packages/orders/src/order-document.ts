import type { Allocation, Money, OrderStatus } from '@crossdock/model';
import { Binary, BSON } from 'mongodb';
import { POSTING_TARGETS, type PlacedOrder, type PlacedOrderLine, type Posting, type PostingState, type PostingTarget } from './ports';

/*
 * How an order looks in MongoDB. Times are BSON Dates there (they sort and compare as times in
 * queries and indexes) and ISO-8601 strings in the port's types; they are converted only here.
 */

/** One posting inside an order document. */
export interface PostingDocument {
  state: PostingState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  reference: string | null;
  postedAt: Date | null;
  leaseUntil: Date | null;
}

/**
 * An order in the orders collection: `_id` is the order id; `revision` counts committed changes.
 *
 * The order's facts stay fields a person or a report can read and filter on (customer, channel,
 * status, when, how much). Its lists and postings are one BSON value in `detail` (OrderDetail):
 * nothing ever queries inside them, and FerretDB takes every stored value apart on each read of
 * the document and builds it again on each write (a change reads and replaces the whole order),
 * where it keeps bytes as they are. Measured on the place-order bench's order store alone: 1.6-1.8
 * ms of FerretDB CPU per order against 2.3-2.7 with them as documents. Any BSON library reads them
 * (`BSON.deserialize(detail.buffer)`). Documents written before that are read all the same
 * (LegacyOrderDocument) and take the new form at their next change.
 */
export interface OrderDocument extends OrderFacts {
  detail: Binary;
}

/** The fields of an order document other than its detail. */
export interface OrderFacts {
  _id: string;
  revision: number;
  idempotencyKey: string;
  channel: string;
  externalRef: string | null;
  customerId: string;
  placedAt: Date;
  status: OrderStatus;
  total: Money;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** What an order document's `detail` holds. */
export interface OrderDetail {
  lines: PlacedOrderLine[];
  allocations: Allocation[];
  postings: Record<PostingTarget, PostingDocument>;
}

/** An order document as written before the detail was bytes: every field a document. */
export interface LegacyOrderDocument extends OrderFacts, OrderDetail {}

/** An order document as found in the collection: either form. */
export type StoredOrderDocument = OrderDocument | LegacyOrderDocument;

/**
 * A change being committed: the order's next revision, recorded under a unique `_id` before the
 * order document is replaced, so that only one writer can produce each revision. It is removed
 * once committed; one left behind by a crashed writer is completed by the next writer.
 */
export interface RevisionDocument {
  /** `<orderId>@<revision>`. */
  _id: string;
  orderId: string;
  revision: number;
  /** When it was recorded (wall clock), to tell a crashed writer from a slow one. */
  recordedAt: Date;
  /**
   * The order document at `revision`, as BSON bytes (revisionBytes): nothing ever queries into
   * it, and the server keeps bytes as they are, where a document would be taken apart field by
   * field on the way in and again when the record is removed (FerretDB decodes every document a
   * delete matches). A record written before that carries the document itself.
   */
  order: Binary | StoredOrderDocument;
}

/** The bytes of a revision record's order. */
export function revisionBytes(doc: StoredOrderDocument): Binary {
  return new Binary(BSON.serialize(doc));
}

/** The order document of a revision record. */
export function revisionOrder(record: RevisionDocument): StoredOrderDocument {
  if (!(record.order instanceof Binary)) return record.order;
  return BSON.deserialize(record.order.buffer) as StoredOrderDocument; // written by revisionBytes from an order document
}

/**
 * Where the order with an idempotency key is: written before the order, so that no order exists
 * without one, and looked up by `_id`. (The unique index on the order's own idempotencyKey still
 * decides which of two racing orders stands; this is the fast way to find it.)
 */
export interface OrderKeyDocument {
  /** `<channel>:<idempotencyKey>`. */
  _id: string;
  orderId: string;
}

/**
 * The outbox's work list: what claimDue scans, instead of every order ever stored. An order is
 * placed with one entry (`_id` = the order id) that names each of its QUEUED postings, and the
 * entry goes once none is QUEUED any more; an operator's requeue of a FAILED posting writes an
 * entry of its own (`<orderId>|<target>`). So every QUEUED posting has an entry. One that names a
 * posting no longer QUEUED (a crash between the two writes, or a requeued posting since done) is
 * corrected by the next claim that finds it.
 */
export interface OutboxEntryDocument {
  /** The order id, or `<orderId>|<target>` for an entry written by a requeue (or before entries were per order). */
  _id: string;
  orderId: string;
  /** Per QUEUED posting: when it is worth looking at again (due, and its lease over). */
  due: Partial<Record<PostingTarget, Date>>;
  placedAt: Date;
  /** When the entry was last written, so a fresh entry is never taken for a leftover. */
  writtenAt: Date;
}

/** A work-list entry as entries were written before one per order: one per posting (`<orderId>|<target>`). */
export interface LegacyOutboxEntryDocument {
  _id: string;
  target: string;
  nextAttemptAt: Date;
}

function dateOrNull(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function mapTargets<A, B>(postings: Record<PostingTarget, A>, convert: (posting: A) => B): Record<PostingTarget, B> {
  const entries = POSTING_TARGETS.map((target) => [target, convert(postings[target])] as const);
  return Object.fromEntries(entries) as Record<PostingTarget, B>; // fromEntries loses the key type; every target is present
}

function postingToDocument(posting: Posting): PostingDocument {
  return {
    state: posting.state,
    attempts: posting.attempts,
    nextAttemptAt: new Date(posting.nextAttemptAt),
    lastError: posting.lastError,
    reference: posting.reference,
    postedAt: dateOrNull(posting.postedAt),
    leaseUntil: dateOrNull(posting.leaseUntil),
  };
}

function postingFromDocument(posting: PostingDocument): Posting {
  return {
    state: posting.state,
    attempts: posting.attempts,
    nextAttemptAt: posting.nextAttemptAt.toISOString(),
    lastError: posting.lastError,
    reference: posting.reference,
    postedAt: isoOrNull(posting.postedAt),
    leaseUntil: isoOrNull(posting.leaseUntil),
  };
}

/** The document for `order` at `revision` (fields listed one by one so nothing unknown is stored). */
export function toOrderDocument(order: PlacedOrder, revision: number): OrderDocument {
  const detail: OrderDetail = {
    lines: order.lines.map((line) => ({ lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity, unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency } })),
    allocations: order.allocations.map((allocation) => ({ warehouseId: allocation.warehouseId, sku: allocation.sku, quantity: allocation.quantity })),
    postings: mapTargets(order.postings, postingToDocument),
  };
  return {
    _id: order.id,
    revision,
    idempotencyKey: order.idempotencyKey,
    channel: order.channel,
    externalRef: order.externalRef,
    customerId: order.customerId,
    placedAt: new Date(order.placedAt),
    status: order.status,
    total: { amount: order.total.amount, currency: order.total.currency },
    cancelledAt: dateOrNull(order.cancelledAt),
    cancelReason: order.cancelReason,
    detail: new Binary(BSON.serialize(detail)),
  };
}

/** The detail of a stored order document, whichever its form. */
function detailOf(doc: StoredOrderDocument): OrderDetail {
  if ('detail' in doc) return BSON.deserialize(doc.detail.buffer) as OrderDetail; // written by toOrderDocument
  return { lines: doc.lines, allocations: doc.allocations, postings: doc.postings };
}

/** The port's view of a stored document. */
export function fromOrderDocument(doc: StoredOrderDocument): PlacedOrder {
  const detail = detailOf(doc);
  return {
    id: doc._id,
    idempotencyKey: doc.idempotencyKey,
    channel: doc.channel,
    externalRef: doc.externalRef,
    customerId: doc.customerId,
    placedAt: doc.placedAt.toISOString(),
    status: doc.status,
    lines: detail.lines.map((line) => ({ lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity, unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency } })),
    total: { amount: doc.total.amount, currency: doc.total.currency },
    allocations: detail.allocations.map((allocation) => ({ warehouseId: allocation.warehouseId, sku: allocation.sku, quantity: allocation.quantity })),
    postings: mapTargets(detail.postings, postingFromDocument),
    cancelledAt: isoOrNull(doc.cancelledAt),
    cancelReason: doc.cancelReason,
  };
}
