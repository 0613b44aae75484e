/**
 * What kind of item could not be processed. Postings are named after their backend (the outbox
 * gave up on them); the others are inputs the hub could not read or events it could not publish,
 * `edi-delivery`: an outbound EDI document its partner's endpoint kept refusing, and
 * `inventory-drift`: a stock position the WMS and the hub disagree on (inventory reconciliation),
 * `availability-push`: a sales channel that keeps failing or refuses the available-to-sell figures pushed to it.
 */
export const EXCEPTION_KINDS = ['erp-posting', 'wms-posting', 'commerce-posting', 'malformed-webhook', 'malformed-edi', 'event-publish', 'edi-delivery', 'inventory-drift', 'availability-push'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** open: waiting for an operator; replayed: handed back for processing; discarded: closed on purpose, with a reason. */
export const EXCEPTION_STATES = ['open', 'replayed', 'discarded'] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

/** Who closed an exception, when (ISO-8601 UTC), and why or with what effect. */
export interface ExceptionResolution {
  by: string;
  at: string;
  note: string | null;
}

/**
 * A replay under way: the replayer holding `token` works on the exception until `until`
 * (ISO-8601 UTC), so two operators replaying it at once replay it once. A replayer that dies
 * leaves the exception open, claimable again once the claim expired.
 */
export interface ReplayClaim {
  token: string;
  by: string;
  until: string;
}

/** One item the hub could not process: a dead letter, kept with its raw payload for replay. */
export interface HubException {
  /** `EXC-…`, time-ordered: ids sort by firstSeenAt. */
  id: string;
  kind: ExceptionKind;
  /** The sales channel the item came from or belongs to, when known. */
  channel: string | null;
  warehouseId: string | null;
  /** What the item is about: an order id for postings, a document or delivery id for inputs. */
  subject: string;
  /** Why it could not be processed, as last seen. */
  reason: string;
  /** The item as first recorded, verbatim (the order as JSON, the webhook body, the EDI document). */
  rawPayload: string;
  /** Processing attempts behind it, summed over every time it was recorded. */
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  state: ExceptionState;
  /** Set when replayed or discarded. */
  resolution: ExceptionResolution | null;
  replayClaim: ReplayClaim | null;
}

/** What a component reports when it gives up on an item. */
export interface ExceptionReport {
  kind: ExceptionKind;
  subject: string;
  reason: string;
  rawPayload: string;
  channel?: string | null;
  warehouseId?: string | null;
  /** Attempts this report stands for (default 1), e.g. the posting attempts the outbox made. */
  attempts?: number;
}

/** Which exceptions to list; every field narrows, absent or null fields do not. */
export interface ExceptionFilter {
  kinds?: readonly ExceptionKind[] | null;
  states?: readonly ExceptionState[] | null;
  channel?: string | null;
  subject?: string | null;
  /** ISO-8601; first seen at or after (inclusive). */
  firstSeenAfter?: string | null;
  /** ISO-8601; first seen before (exclusive). */
  firstSeenBefore?: string | null;
}

/** One page of a list, newest first; `nextCursor` (an exception id) continues it, null on the last page. */
export interface ExceptionPage {
  items: HubException[];
  nextCursor: string | null;
}

/** The outcome of claimReplay. */
export type ReplayClaimResult =
  | { status: 'claimed'; exception: HubException; token: string }
  | { status: 'not-found' }
  /** Already replayed or discarded. */
  | { status: 'not-open'; exception: HubException }
  /** Another replayer holds a live claim. */
  | { status: 'in-progress'; exception: HubException };

/** The outcome of discard. */
export type DiscardResult =
  | { status: 'discarded'; exception: HubException }
  | { status: 'not-found' }
  | { status: 'not-open'; exception: HubException }
  | { status: 'in-progress'; exception: HubException };

/** Who closes an exception and why; `at` is the time of the change. */
export interface ResolutionInput {
  by: string;
  at: Date;
  note: string | null;
}

/**
 * The exception store (MongoDB in production, in-process in all-in-one). Every state change is
 * atomic per exception on both adapters: concurrent records of one item never make two open
 * exceptions, and two replays or a replay and a discard never both win.
 */
export interface ExceptionStore {
  /**
   * Records a failure. While an exception of the same kind and subject is open it is updated
   * (attempts added, lastSeenAt, reason; the first raw payload stays), otherwise a new one is
   * opened. `created` tells which.
   */
  record(report: ExceptionReport, now?: Date): Promise<{ exception: HubException; created: boolean }>;
  /** By id, in request order, null where unknown. */
  get(ids: readonly string[]): Promise<(HubException | null)[]>;
  /** Newest first (by firstSeenAt, then id); `after` is a previous page's nextCursor. */
  list(filter: ExceptionFilter, page: { first: number; after: string | null }): Promise<ExceptionPage>;
  /** Claims an open exception for a replay until now + leaseMs; see ReplayClaim. */
  claimReplay(id: string, by: string, now: Date, leaseMs: number): Promise<ReplayClaimResult>;
  /**
   * Closes a claimed exception as replayed. Null when the claim `token` no longer holds it (the
   * claim expired and another replayer took it, or it is unknown): nothing changed then.
   */
  markReplayed(id: string, token: string, resolution: ResolutionInput): Promise<HubException | null>;
  /** Gives a claim back without closing (the replay could not be done); null as for markReplayed. */
  releaseReplay(id: string, token: string): Promise<HubException | null>;
  /** Closes an open exception that is not being replayed as discarded; resolution.note is the reason. */
  discard(id: string, resolution: ResolutionInput): Promise<DiscardResult>;
  close(): Promise<void>;
}

/** The store's database cannot be reached (down, restarting, network): retry later; nothing was changed by this call. */
export class ExceptionStoreUnavailableError extends Error {
  override name = 'ExceptionStoreUnavailableError';
}
