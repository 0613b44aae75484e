import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { MemoryAckBoard, RedisAckBoard, type AckBoard, type AckRecord } from '../src';

let redis: BackingService | undefined;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const at = (ms: number) => new Date(Date.UTC(2026, 10, 27, 8, 0, 0, ms));
const ack = (channel: string, sku: string, locations: Record<string, [quantity: number, seq: number, ms: number]>): AckRecord => ({
  channel,
  sku,
  locations: Object.fromEntries(Object.entries(locations).map(([location, [quantity, seq, ms]]) => [location, { quantity, seq, at: at(ms) }])),
});

/**
 * The one contract both boards pass (DESIGN.md: the in-process substitute never drifts from
 * Redis). `writer` and `reader` stand for the leading replica and another one.
 */
function describeBoardContract(name: string, open: () => Promise<{ writer: AckBoard; reader: AckBoard; close(): Promise<void> }>): void {
  describe(`AckBoard contract: ${name}`, () => {
    let boards: Awaited<ReturnType<typeof open>> | undefined;
    const both = () => {
      if (!boards) throw new Error('no boards');
      return boards;
    };
    beforeEach(async () => {
      boards = await open();
    });
    afterEach(async () => {
      await boards?.close();
    });

    it('answers what was acknowledged per channel, SKU and location, in the keys\' order, null where nothing was', async () => {
      const { writer, reader } = both();
      await writer.publish([
        ack('web', 'SKU-1', { 'WH-EAST': [7, 10, 1], 'WH-CENTRAL': [0, 11, 2] }),
        ack('marketplace', 'SKU-1', { '*': [12, 12, 3] }),
        ack('edi', 'SKU-2', { '*': [4, 13, 4] }),
      ]);
      const read = await reader.read([
        { channel: 'marketplace', sku: 'SKU-1', location: '*' },
        { channel: 'web', sku: 'SKU-1', location: 'WH-CENTRAL' },
        { channel: 'web', sku: 'SKU-1', location: 'WH-SOUTH' },
        { channel: 'web', sku: 'SKU-2', location: 'WH-EAST' },
        { channel: 'edi', sku: 'SKU-2', location: '*' },
        { channel: 'web', sku: 'SKU-1', location: 'WH-EAST' },
        { channel: 'b2b-portal', sku: 'SKU-1', location: '*' },
      ]);
      expect(read).toEqual([
        { quantity: 12, seq: 12, at: at(3) },
        { quantity: 0, seq: 11, at: at(2) },
        null,
        null,
        { quantity: 4, seq: 13, at: at(4) },
        { quantity: 7, seq: 10, at: at(1) },
        null,
      ]);
      expect(await reader.read([])).toEqual([]);
    });

    it('never lets an older acknowledgement replace a newer one, location by location (a late writer that lost the lease)', async () => {
      const { writer, reader } = both();
      await writer.publish([ack('web', 'SKU-3', { 'WH-EAST': [5, 200, 10], 'WH-CENTRAL': [9, 100, 10] })]);
      // Older at WH-EAST, newer at WH-CENTRAL; the same seq again (a resync resends it) counts.
      await reader.publish([ack('web', 'SKU-3', { 'WH-EAST': [8, 150, 20], 'WH-CENTRAL': [3, 300, 20] })]);
      await writer.publish([ack('web', 'SKU-3', { 'WH-CENTRAL': [3, 300, 30] })]);
      expect(await reader.read([
        { channel: 'web', sku: 'SKU-3', location: 'WH-EAST' },
        { channel: 'web', sku: 'SKU-3', location: 'WH-CENTRAL' },
      ])).toEqual([
        { quantity: 5, seq: 200, at: at(10) },
        { quantity: 3, seq: 300, at: at(30) },
      ]);
    });

    it('keeps SKU and location apart whatever characters they hold', async () => {
      const { writer, reader } = both();
      await writer.publish([ack('web', 'A"B', { 'C,D': [1, 1, 0] }), ack('web', 'A"B","C', { D: [2, 2, 0] })]);
      expect(await reader.read([
        { channel: 'web', sku: 'A"B', location: 'C,D' },
        { channel: 'web', sku: 'A"B","C', location: 'D' },
      ])).toEqual([
        { quantity: 1, seq: 1, at: at(0) },
        { quantity: 2, seq: 2, at: at(0) },
      ]);
    });

    it('takes a resync\'s worth of acknowledgements in one publish', async () => {
      const { writer, reader } = both();
      const skus = Array.from({ length: 1200 }, (_, i) => `SKU-${String(i).padStart(5, '0')}`);
      await writer.publish(skus.map((sku, i) => ack('marketplace', sku, { '*': [i, 1000 + i, i] })));
      const read = await reader.read(skus.map((sku) => ({ channel: 'marketplace', sku, location: '*' })));
      expect(read.map((a) => a?.quantity)).toEqual(skus.map((_, i) => i));
    });
  });
}

describeBoardContract('redis', async () => {
  if (!redis) throw new Error('redis-server did not start');
  prefixes += 1;
  const keyPrefix = `ack-board-test:${prefixes}:`;
  const [writer, reader] = await Promise.all([RedisAckBoard.connect({ url: redis.url, keyPrefix }), RedisAckBoard.connect({ url: redis.url, keyPrefix })]);
  return { writer, reader, close: async () => void (await Promise.all([writer.close(), reader.close()])) };
});

describeBoardContract('in process', async () => {
  // One process is the only replica: writer and reader are the same board.
  const board = new MemoryAckBoard();
  return { writer: board, reader: board, close: () => board.close() };
});
