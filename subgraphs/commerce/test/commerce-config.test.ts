import { DEFAULT_CAPTURE_POLICY } from '@crossdock/order-capture';
import { ConfigError } from '@crossdock/service';
import { describe, expect, it } from '@jest/globals';
import { readCommerceConfig } from '../src/commerce-config';

/** The least the commerce subgraph starts with. */
const env = {
  HUB_SUBGRAPH_SECRET: 'commerce-config-test-secret',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MONGO_URL: 'mongodb://127.0.0.1:27017/crossdock',
};

describe('commerce configuration: joined ERP validation reads', () => {
  it('defaults to the capture policy: two reads of a kind in flight, 100 ms of waiting for a slot at most', () => {
    const config = readCommerceConfig(env);
    expect([config.erpReadsInFlight, config.erpReadMaxWaitMs]).toEqual([DEFAULT_CAPTURE_POLICY.erpReadsInFlight, DEFAULT_CAPTURE_POLICY.erpReadMaxWaitMs]);
    expect([DEFAULT_CAPTURE_POLICY.erpReadsInFlight, DEFAULT_CAPTURE_POLICY.erpReadMaxWaitMs]).toEqual([2, 100]);
  });

  it('takes ERP_READS_IN_FLIGHT and ERP_READ_MAX_WAIT_MS', () => {
    const config = readCommerceConfig({ ...env, ERP_READS_IN_FLIGHT: '4', ERP_READ_MAX_WAIT_MS: '250' });
    expect([config.erpReadsInFlight, config.erpReadMaxWaitMs]).toEqual([4, 250]);
  });

  it('refuses values that are not whole positive numbers, naming the variable', () => {
    expect(() => readCommerceConfig({ ...env, ERP_READS_IN_FLIGHT: '0' })).toThrow(ConfigError);
    expect(() => readCommerceConfig({ ...env, ERP_READS_IN_FLIGHT: '1.5' })).toThrow(/ERP_READS_IN_FLIGHT/);
    expect(() => readCommerceConfig({ ...env, ERP_READ_MAX_WAIT_MS: 'soon' })).toThrow(/ERP_READ_MAX_WAIT_MS/);
  });
});
