import { MemoryEventStreams } from '../src';
import { CONTRACT_RETENTION, describeEventStreamsContract } from './contract/event-streams-contract';
import { describeGroupConsumerCases } from './contract/group-consumer-cases';
import { describeStreamFeedCases } from './contract/stream-feed-cases';

// The all-in-one substitute passes the very suites the Redis adapter passes.
describeEventStreamsContract('memory', async () => {
  const streams = new MemoryEventStreams({ retention: CONTRACT_RETENTION });
  return { streams, close: () => streams.close() };
});
describeStreamFeedCases('memory', async (retention) => {
  const streams = new MemoryEventStreams({ retention });
  return { streams, close: () => streams.close() };
});
describeGroupConsumerCases('memory', async () => {
  const streams = new MemoryEventStreams({ retention: { maxLength: 1_000 } });
  return { streams, close: () => streams.close() };
});
