/**
 * The hub's event bus (DESIGN.md, Events): canonical events appended to Redis Streams by the
 * owning subgraph, read by cursor, live, and by consumer groups; an in-process substitute for
 * all-in-one mode. One contract suite runs against both adapters.
 */
export * from './ports';
export * from './stream-id';
export * from './canonical-events';
export * from './event-config';
export { MemoryEventStreams, type MemoryEventStreamsOptions } from './memory-event-streams';
export { RedisEventStreams, type RedisEventStreamsOptions } from './redis-event-streams';
export { UnexpectedStreamReplyError } from './redis-replies';
export { StreamFeed, SubscriberOverflowError, type StreamFeedOptions } from './stream-feed';
export { startGroupConsumer, type GroupConsumerOptions, type RunningGroupConsumer } from './group-consumer';
export { EventPublisher, type PublishFailure } from './event-publisher';
