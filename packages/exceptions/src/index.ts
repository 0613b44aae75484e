/**
 * The exception store: every item the hub could not process (a posting the outbox gave up on, a
 * malformed webhook or EDI document, an event that failed to publish), kept with its raw payload,
 * reason, attempts and timestamps, listed for operators, replayed or discarded. MongoDB in
 * production, an in-process substitute in all-in-one; one contract suite runs against both.
 */
export * from './ports';
export { newExceptionId, isExceptionId } from './exception-id';
export { MAX_REASON_LENGTH } from './exception-transitions';
export { MemoryExceptionStore } from './memory-exception-store';
export { MongoExceptionStore, type MongoExceptionStoreOptions } from './mongo-exception-store';
export * from './exception-replayer';
export type { ExceptionDocument, ExceptionRevisionDocument } from './exception-document';
export { observeExceptions, type ExceptionObserver } from './exception-observer';
