export * from './ports';
export * from './backoff';
export * from './order-transitions';
export * from './memory-order-store';
export * from './mongo-order-store';
export * from './outbox-worker';
export type { LegacyOrderDocument, OrderDetail, OrderDocument, OrderFacts, OrderKeyDocument, OutboxEntryDocument, PostingDocument, RevisionDocument, StoredOrderDocument } from './order-document';
export * from './hub-order-id';
export * from './round-loop';
