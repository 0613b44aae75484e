import { describe, expect, it } from '@jest/globals';
import { decodeEvent, encodeEvent, MalformedEventError, readEventRetention, streamKey, type HubEvent } from '../src';

const shipped: HubEvent = {
  type: 'order.status-changed',
  order: { id: 'ORD-1', channel: 'web', externalRef: null, status: 'SHIPPED', placedAt: '2026-11-27T10:00:00.000Z', customerId: 'CUST-1', lines: [] },
  previousStatus: 'ALLOCATED',
  cause: { shipmentId: 'SHP-1' },
  at: '2026-11-27T10:05:00.000Z',
};

describe('canonical events', () => {
  it('round-trips an event through its stream payload', () => {
    expect(decodeEvent(encodeEvent(shipped))).toEqual(shipped);
  });

  it('refuses to write an event that breaks its own schema', () => {
    expect(() => encodeEvent({ ...shipped, previousStatus: 'LOST' } as unknown as HubEvent)).toThrow();
  });

  it('names what is wrong with an entry that is not a canonical event', () => {
    expect(() => decodeEvent('not json')).toThrow(MalformedEventError);
    expect(() => decodeEvent(JSON.stringify({ ...shipped, order: { ...shipped.order, status: 'TELEPORTED' } }))).toThrow(/status/);
    expect(() => decodeEvent(JSON.stringify({ type: 'stock.moved' }))).toThrow(MalformedEventError);
  });

  it('keys each topic under the prefix, and reads retention from the environment', () => {
    expect(streamKey('inventory')).toBe('crossdock:events:inventory');
    expect(streamKey('orders', '{hub2}:')).toBe('{hub2}:events:orders');
    expect(readEventRetention({})).toEqual({ maxLength: 100_000, maxAgeMs: null });
    expect(readEventRetention({ EVENT_STREAM_MAXLEN: '500', EVENT_STREAM_MAX_AGE_MS: '3600000' })).toEqual({ maxLength: 500, maxAgeMs: 3_600_000 });
    expect(() => readEventRetention({ EVENT_STREAM_MAXLEN: 'lots' })).toThrow(/EVENT_STREAM_MAXLEN/);
  });
});
