import { openKeyOf } from './exception-transitions';
import type { ExceptionKind, ExceptionState, HubException } from './ports';

/*
 * How an exception looks in MongoDB. Times are BSON Dates there (they sort and compare as times
 * in queries) and ISO-8601 strings in the port's types; they are converted only here.
 */

/** An exception in the exceptions collection: `_id` is its id; `revision` counts committed changes. */
export interface ExceptionDocument {
  _id: string;
  revision: number;
  /** Unique: `open:<kind>:<subject>` while open, `closed:<id>` after (see openKeyOf). */
  openKey: string;
  kind: ExceptionKind;
  channel: string | null;
  warehouseId: string | null;
  subject: string;
  reason: string;
  rawPayload: string;
  attempts: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  state: ExceptionState;
  resolution: { by: string; at: Date; note: string | null } | null;
  replayClaim: { token: string; by: string; until: Date } | null;
}

/**
 * A change being committed: the exception's next revision, recorded under a unique `_id` before
 * the exception document is replaced, so only one writer can produce each revision (see
 * MongoExceptionStore). Removed once committed; one left by a crashed writer is completed later.
 */
export interface ExceptionRevisionDocument {
  /** `<exceptionId>@<revision>`. */
  _id: string;
  exceptionId: string;
  revision: number;
  /** Wall clock, to tell a crashed writer from a slow one. */
  recordedAt: Date;
  exception: ExceptionDocument;
}

/** The document for `exception` at `revision` (fields listed one by one so nothing unknown is stored). */
export function toExceptionDocument(exception: HubException, revision: number): ExceptionDocument {
  return {
    _id: exception.id,
    revision,
    openKey: openKeyOf(exception),
    kind: exception.kind,
    channel: exception.channel,
    warehouseId: exception.warehouseId,
    subject: exception.subject,
    reason: exception.reason,
    rawPayload: exception.rawPayload,
    attempts: exception.attempts,
    firstSeenAt: new Date(exception.firstSeenAt),
    lastSeenAt: new Date(exception.lastSeenAt),
    state: exception.state,
    resolution: exception.resolution && { by: exception.resolution.by, at: new Date(exception.resolution.at), note: exception.resolution.note },
    replayClaim: exception.replayClaim && { token: exception.replayClaim.token, by: exception.replayClaim.by, until: new Date(exception.replayClaim.until) },
  };
}

/** The port's view of a stored document. */
export function fromExceptionDocument(doc: ExceptionDocument): HubException {
  return {
    id: doc._id,
    kind: doc.kind,
    channel: doc.channel,
    warehouseId: doc.warehouseId,
    subject: doc.subject,
    reason: doc.reason,
    rawPayload: doc.rawPayload,
    attempts: doc.attempts,
    firstSeenAt: doc.firstSeenAt.toISOString(),
    lastSeenAt: doc.lastSeenAt.toISOString(),
    state: doc.state,
    resolution: doc.resolution && { by: doc.resolution.by, at: doc.resolution.at.toISOString(), note: doc.resolution.note },
    replayClaim: doc.replayClaim && { token: doc.replayClaim.token, by: doc.replayClaim.by, until: doc.replayClaim.until.toISOString() },
  };
}
