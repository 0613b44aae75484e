export { CoalescingKeys, type CallerView, type PostedOperation } from './coalescing-key';
export { coalescingResponder, type CoalescingResponder, type GraphQLResponder, type SerializedAnswer } from './coalescing-responder';
export { InflightCoalescer, type CoalescingCounts } from './inflight-coalescer';
export { deduplicatingFetcher, type DeduplicatingFetcher } from './deduplicating-fetcher';
