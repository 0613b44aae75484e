/**
 * Channel intake: every channel that speaks its own language into the one canonical order of
 * order capture, and documents back out. EDI trading partners are configuration (config/partners:
 * ISA sender → customer, item cross-reference, units, wanted documents, delivery endpoint);
 * Shopify webhooks are verified, queued durably, acknowledged and processed; a marketplace is a JSONata mapping.
 */
export * from './channel-config';
export * from './channel-log';
export * from './ports';
export * from './partner-directory';
export { watchPartnerFiles, type PartnerFiles, type PartnerFilesOptions } from './partner-files';
export { watchConfigFolder, type ConfigFolderOptions, type ConfigFolderWatch } from './config-watch';
export { watchStoreChannelFiles, type StoreChannelFilesOptions } from './store-channel-files';
export { MongoChannelStore, type MongoChannelStoreOptions } from './mongo-channel-store';
export { MemoryChannelStore } from './memory-channel-store';
export { EdiDocuments, type DocumentRequest } from './edi-documents';
export { DocumentDeliveryWorker, type DocumentDeliveryOptions } from './document-delivery';
export * from './purchase-order-intake';
export * from './edi-intake';
export * from './order-payloads';
export * from './webhook-signature';
export * from './webhook-inbox';
export * from './webhook-queue';
export { RedisWebhookQueue, type RedisWebhookQueueOptions } from './redis-webhook-queue';
export * from './webhook-reception';
export { WebhookQueueDrain, type WebhookQueueDrainOptions } from './webhook-queue-drain';
export { FollowUpDocuments, type FollowUpOptions } from './follow-up-documents';
export * from './channel-intake';
export * from './http-intake';
export { answerWebhook, MAX_INTAKE_BODY_BYTES } from './webhook-http';
