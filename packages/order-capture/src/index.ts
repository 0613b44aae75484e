/**
 * Order capture for every channel (GraphQL placeOrder today; EDI 850 and store webhooks reuse
 * it): validation against ERP master data, atomic stock reservation, the order store and its
 * outbox of postings to the ERP, WMS and commerce platform, and cancellation.
 */
export { OrderCapture, type BackendCircuits, type OrderCaptureDependencies } from './order-capture';
export { DEFAULT_CAPTURE_POLICY, capturePolicy, type OrderCapturePolicy, type OrderCapturePolicyOverrides } from './capture-policy';
export * from './capture-types';
export type { CaptureLog, CaptureLogEntry } from './capture-log';
export { toCanonicalOrder } from './canonical-order';
export { MAX_IDEMPOTENCY_KEY_LENGTH } from './input-checks';
export { REFERENCE_SNAPSHOT_KINDS, type ReferenceSnapshots } from './master-data';
export { POSTING_EXCEPTION_KINDS, postingReport } from './posting-exceptions';
