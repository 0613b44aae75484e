/**
 * The webhook door alone (`@crossdock/channels/webhook-door`): the store channels' files, the
 * reception, its Redis queue and the HTTP answer, for the gateway. Kept apart from the package's
 * index, which also loads order capture, the MongoDB driver (its BSON serializer allocates a
 * 17 MiB buffer when loaded) and JSONata: tens of MiB a gateway never uses.
 */
export { loadStoreChannels } from './channel-config';
export type { ConfigFolderWatch } from './config-watch';
export { RedisWebhookQueue, type RedisWebhookQueueOptions } from './redis-webhook-queue';
export { watchStoreChannelFiles, type StoreChannelFilesOptions } from './store-channel-files';
export { answerWebhook } from './webhook-http';
export type { WebhookQueue } from './webhook-queue';
export { WebhookReception, type WebhookChannels, type WebhookReceipt } from './webhook-reception';
