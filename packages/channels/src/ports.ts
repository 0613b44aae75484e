import type { ProductId } from '@crossdock/edi';

/** Outbound X12 documents. */
export const EDI_DOCUMENT_TYPES = ['997', '855', '856', '810'] as const;
export type EdiDocumentType = (typeof EDI_DOCUMENT_TYPES)[number];

/** QUEUED: waiting for (another) delivery attempt; DELIVERED; FAILED: given up (exception recorded); PULL: the partner fetches it. */
export type DeliveryState = 'QUEUED' | 'DELIVERED' | 'FAILED' | 'PULL';

export interface DocumentDelivery {
  state: DeliveryState;
  attempts: number;
  /** ISO-8601 UTC. */
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

/** An outbound document, stored before it is delivered. */
export interface EdiDocument {
  /** `EDD-…`, time-ordered. */
  id: string;
  partnerId: string;
  type: EdiDocumentType;
  /** What it answers: the inbound ISA13 (997), the PO number (855), the shipment id (856), the invoice id (810). Unique per partner and type. */
  reference: string;
  orderId: string | null;
  /** This document's own ISA13. */
  controlNumber: string;
  /** 997: AK9/TA1 status (A, P, R); 855: BAK02 (AT, AC, RJ); null otherwise. */
  status: string | null;
  body: string;
  createdAt: string;
  delivery: DocumentDelivery;
}

/**
 * What became of one PO. pending: being placed now; queued: placing failed for a passing reason
 * (a backend down, a timeout; not the partner's fault), so it is placed again later by itself.
 */
export type PurchaseOrderOutcome = 'pending' | 'queued' | 'accepted' | 'rejected' | 'held';

/** The next try of a queued PO: what it needs to be placed without the partner sending it again. */
export interface PurchaseOrderRetry {
  /** Tries that failed so far. */
  attempts: number;
  /** ISO-8601 UTC. */
  nextAttemptAt: string;
  lastError: string;
  /** ST02 of its transaction set, for the answer. */
  setControlNumber: string;
  /** The interchange it came in, kept for an exception should a later try find bad data. */
  raw: string;
}

/** A PO line as the partner sent it and as we booked it. */
export interface PurchaseOrderLineRecord {
  assignedId: string;
  productIds: ProductId[];
  uom: string;
  /** In the partner's unit. */
  quantity: number;
  unitPrice: string | null;
  /** Our SKU, null when the cross-reference did not know it. */
  sku: string | null;
  /** Partner units → SKU units. */
  factor: number;
}

/** One PO from a partner: the duplicate guard, and the link from our order back to the partner's ids for 855/856/810. */
export interface PurchaseOrderRecord {
  /** `<partnerId>:<poNumber>`. */
  id: string;
  partnerId: string;
  poNumber: string;
  poDate: string;
  /** The `<partnerId>:<ISA13>` it arrived in (the latest attempt). */
  interchangeId: string;
  outcome: PurchaseOrderOutcome;
  /** 1 for the first; a PO refused or held may be sent again, which is attempt 2, … */
  attempt: number;
  orderId: string | null;
  lines: PurchaseOrderLineRecord[];
  /** Whether 856/810 may still be due (the poller looks at these). */
  followUpsOpen: boolean;
  /** Set while the PO is queued for another try (absent in records written before retries existed). */
  retry?: PurchaseOrderRetry | null;
  updatedAt: string;
}

/** An inbound interchange as received (the duplicate guard for sender + ISA13). */
export interface InterchangeRecord {
  /** `<partnerId>:<ISA13>`. */
  id: string;
  partnerId: string;
  controlNumber: string;
  receivedAt: string;
  state: 'processing' | 'done';
  /** The intake's answer, kept so a duplicate gets the first answer back. */
  result: string | null;
}

/** A webhook stored before it is acknowledged, processed afterwards by the inbox worker. */
export interface WebhookDelivery {
  /** `<source>:<delivery id>`: the webhook's own id, so a redelivery is recognised. */
  id: string;
  /** `shopify` or a mapped channel's name. */
  source: string;
  /** e.g. `orders/create`. */
  topic: string;
  rawBody: string;
  receivedAt: string;
  state: 'PENDING' | 'DONE' | 'FAILED';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** What processing did (order id, duplicate, …). */
  outcome: string | null;
  /**
   * Operator replays so far. placeOrder keeps a refusal under its idempotency key for 24 h, so a
   * replay after the data was fixed places under a key of its own (after checking the first key).
   */
  replays: number;
}

/** A page of a list, newest first; nextCursor continues it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Which documents to list. */
export interface DocumentFilter {
  /** null: every partner (operators). */
  partnerIds: readonly string[] | null;
  types?: readonly EdiDocumentType[] | null;
  orderId?: string | null;
}

/**
 * The channel intake's durable state (MongoDB in production, in-process in all-in-one). Every
 * guard against doing something twice is a unique insert, the one write that is atomic on
 * FerretDB as on MongoDB (see MongoOrderStore for why filtered updates are not relied on).
 */
export interface ChannelStore {
  /** Records a new interchange; `existing` when this sender and ISA13 came before. */
  claimInterchange(record: InterchangeRecord): Promise<{ created: true } | { created: false; existing: InterchangeRecord }>;
  finishInterchange(id: string, result: string): Promise<void>;
  /**
   * Claims a PO for processing: new, or sent again after it was refused or held (the next
   * attempt), or left pending by a crash longer ago than `staleMs` (the same attempt, which
   * placeOrder's idempotency makes safe). Otherwise `duplicate` with the record as it stands.
   */
  claimPurchaseOrder(record: PurchaseOrderRecord, now: Date, staleMs: number): Promise<{ status: 'claimed'; record: PurchaseOrderRecord } | { status: 'duplicate'; record: PurchaseOrderRecord }>;
  /** Replaces a PO record this process claimed. */
  savePurchaseOrder(record: PurchaseOrderRecord): Promise<void>;
  purchaseOrder(id: string): Promise<PurchaseOrderRecord | null>;
  purchaseOrdersByOrderIds(orderIds: readonly string[]): Promise<PurchaseOrderRecord[]>;
  /** Queued POs whose next try is due by `now`, each claimed for that try by one caller only. */
  claimDuePurchaseOrderRetries(now: Date, limit: number): Promise<PurchaseOrderRecord[]>;
  /** Accepted POs whose 856/810 may still be due, oldest first. */
  openFollowUps(limit: number): Promise<PurchaseOrderRecord[]>;
  /** Saves an accepted PO whose 856/810 all went out (`followUpsOpen` false): openFollowUps no longer lists it. */
  closeFollowUps(record: PurchaseOrderRecord): Promise<void>;
  /** The partner's next ISA13/GS06, never handed out twice. */
  nextControlNumber(partnerId: string): Promise<number>;
  /** 'exists' when the partner already has this type of document for this reference. */
  addDocument(document: EdiDocument): Promise<'inserted' | 'exists'>;
  documentByReference(partnerId: string, type: EdiDocumentType, reference: string): Promise<EdiDocument | null>;
  documents(ids: readonly string[]): Promise<(EdiDocument | null)[]>;
  listDocuments(filter: DocumentFilter, page: { first: number; after: string | null }): Promise<Page<EdiDocument>>;
  /** QUEUED documents due by `now`, each claimed for this attempt by one caller only. */
  claimDueDocuments(now: Date, limit: number): Promise<EdiDocument[]>;
  updateDelivery(id: string, delivery: DocumentDelivery): Promise<void>;
  /** 'exists' when this source already delivered a webhook with this id. */
  enqueueWebhook(delivery: WebhookDelivery): Promise<'inserted' | 'exists'>;
  /** PENDING webhooks due by `now`, each claimed for this attempt by one caller only. */
  claimDueWebhooks(now: Date, limit: number): Promise<WebhookDelivery[]>;
  updateWebhook(delivery: WebhookDelivery): Promise<void>;
  webhook(id: string): Promise<WebhookDelivery | null>;
  /** Deletes claims made before `before` (they guard an attempt for a claim window only); answers how many. */
  sweepClaims(before: Date): Promise<number>;
  close(): Promise<void>;
}
