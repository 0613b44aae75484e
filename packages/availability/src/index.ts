/**
 * Available-to-sell per sales channel: allocation rules over ATP (share, buffer, cap, floor,
 * serving warehouses), recomputed on every ATP change and pushed through each channel's
 * connector (a Shopify-style store, a marketplace feed, EDI 846) via a durable MongoDB outbox,
 * with full resyncs and drift visibility.
 */
export * from './channel-rules';
export * from './available-to-sell';
export * from './ports';
export { MongoPushStore, type MongoPushStoreOptions } from './mongo-push-store';
export { MemoryPushStore } from './memory-push-store';
export { MemoryLeaseStore, RedisLeaseStore, type LeaseStore } from './feed-lease';
export { MemoryAckBoard, RedisAckBoard, type AckBoard, type AckedFigure, type AckKey } from './ack-board';
export { requestResync, serveResyncRequests, ResyncQueuedError, DEFAULT_RESYNC_STREAMS, type ResyncStreamKeys, type ResyncServerOptions } from './resync-requests';
export { LeakyBucket } from './leaky-bucket';
export { ChannelFeed, type ChannelFeedOptions, type FeedObserver, type FeedStatus } from './channel-feed';
export { AvailabilityEngine, EngineStoppedError, type AvailabilityEngineOptions, type EngineObserver } from './availability-engine';
export { ChannelResync, type ChannelResyncOptions } from './channel-resync';
export { startChangeStream, skusMovedBy, type ChangeSource, type ChangeStreamOptions } from './change-stream';
export { positionAtp, type PositionAtpOptions } from './position-atp';
export { connectorFor, type ConnectorEnvironment } from './connector-factory';
export { ShopifyInventoryConnector, type ShopifyInventoryOptions } from './connectors/shopify-inventory';
export { MarketplaceInventoryConnector, type MarketplaceInventoryOptions } from './connectors/marketplace-inventory';
export { InventoryAdviceConnector, inventoryAdviceSet, readAdvicePartner, type AdvicePartner, type InventoryAdvice, type InventoryAdviceOptions } from './connectors/inventory-advice';
export { feedMetrics, engineMetrics, trackFeeds } from './availability-metrics';
export { startAvailabilityFeeds, type AvailabilityFeeds, type AvailabilityFeedsOptions } from './availability-feeds';
export { startAvailabilityRunner, FeedsNotLeadingError, DEFAULT_LEASE_KEY, type AvailabilityRunner, type AvailabilityRunnerOptions, type FeedLeaseOptions } from './availability-runner';
