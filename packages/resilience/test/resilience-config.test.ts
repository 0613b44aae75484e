import { describe, expect, it } from '@jest/globals';
import { portVar, readNamedConfig } from '@crossdock/service';
import { z } from 'zod';
import { CircuitBreaker, RESILIENCE_ENV, readResilienceSettings, resilienceSettingsSchema } from '../src/index';

describe('readResilienceSettings', () => {
  it('defaults to 50 % of at least 5 calls in 10 s, 5 s open, one read retry', () => {
    expect(readResilienceSettings({})).toEqual({ failureRate: 0.5, minimumCalls: 5, windowMs: 10_000, openMs: 5_000, retryReads: true });
  });

  it('reads every variable', () => {
    const env = { CIRCUIT_FAILURE_RATE: '0.25', CIRCUIT_MIN_CALLS: '20', CIRCUIT_WINDOW_MS: '30000', CIRCUIT_OPEN_MS: '2000', READ_RETRY: '0' };
    expect(readResilienceSettings(env)).toEqual({ failureRate: 0.25, minimumCalls: 20, windowMs: 30_000, openMs: 2_000, retryReads: false });
  });

  it('names every bad variable in one error', () => {
    const env = { CIRCUIT_FAILURE_RATE: '50%', CIRCUIT_MIN_CALLS: '0', CIRCUIT_WINDOW_MS: '1.5', CIRCUIT_OPEN_MS: '-1', READ_RETRY: 'yes' };
    let message = '';
    try {
      readResilienceSettings(env);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message.split('\n')).toEqual([
      'invalid configuration:',
      '  CIRCUIT_FAILURE_RATE: must be a number',
      '  CIRCUIT_MIN_CALLS: must be at least 1',
      '  CIRCUIT_WINDOW_MS: must be a whole number of milliseconds',
      '  CIRCUIT_OPEN_MS: must be above 0',
      '  READ_RETRY: must be 1 (retry a failed safe read once) or 0 (never retry)',
    ]);
    expect(() => readResilienceSettings({ CIRCUIT_FAILURE_RATE: '1.5' })).toThrow('CIRCUIT_FAILURE_RATE: must be at most 1');
  });

  it("joins a main's own schema, so one read reports every bad variable", () => {
    const schema = z.object({ port: portVar(4001) }).extend(resilienceSettingsSchema.shape);
    const names = { port: 'ERP_PORT', ...RESILIENCE_ENV };
    expect(readNamedConfig(schema, names, { ERP_PORT: '0', READ_RETRY: '0' })).toEqual({ port: 0, failureRate: 0.5, minimumCalls: 5, windowMs: 10_000, openMs: 5_000, retryReads: false });
    expect(() => readNamedConfig(schema, names, { ERP_PORT: 'x', CIRCUIT_OPEN_MS: 'soon' })).toThrow(/ERP_PORT: .*\n {2}CIRCUIT_OPEN_MS: must be a number of milliseconds/);
  });

  it('refuses settings a breaker cannot work with when built in code', () => {
    expect(() => new CircuitBreaker({ backend: 'erp', failureRate: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ backend: 'erp', openMs: 0 })).toThrow('openMs must be a positive integer, got 0');
  });
});
