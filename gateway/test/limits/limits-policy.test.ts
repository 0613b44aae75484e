import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@crossdock/service';
import { readGatewayConfig } from '../../src/config';
import { DEFAULT_LIMITS, limitsPolicyFrom, loadLimitsPolicy } from '../../src/limits/limits-policy';

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'crossdock-limits-')), name);
  writeFileSync(path, content);
  return path;
}

const env = {
  HUB_JWT_SECRET: 'limits-test-secret-0123456789',
  HUB_SUBGRAPH_SECRET: 'limits-test-subgraph-secret-0123',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('limits file', () => {
  it('overrides the built-in defaults key by key, and null switches a rate limit off', () => {
    const policy = limitsPolicyFrom({
      classes: { portal: { maxDepth: 4, rateLimit: null }, partner: { trustedOnly: true } },
      trustedOnlyClients: ['crossdock-web'],
      cost: { defaultListSize: 25, fields: { 'Order.lines': { assumedSize: 50 } } },
    });
    expect(policy.classes.portal).toEqual({ ...DEFAULT_LIMITS.classes.portal, maxDepth: 4, rateLimit: null });
    expect(policy.classes.partner.trustedOnly).toBe(true);
    expect(policy.classes.internal).toEqual(DEFAULT_LIMITS.classes.internal);
    expect(policy.trustedOnlyClients).toEqual(['crossdock-web']);
    expect(policy.cost).toEqual({ ...DEFAULT_LIMITS.cost, defaultListSize: 25, fields: { 'Order.lines': { assumedSize: 50 } } });
  });

  it('names every bad key with the file it came from', () => {
    const path = file('limits.json', JSON.stringify({ classes: { portal: { maxDepht: 4, maxCost: -1 }, robots: {} }, cost: { fields: { lines: {} } } }));
    expect(() => loadLimitsPolicy(path)).toThrow(ConfigError);
    let message = '';
    try {
      loadLimitsPolicy(path);
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain(`GATEWAY_LIMITS_PATH ${path}`);
    expect(message).toMatch(/classes\.portal.*maxDepht/);
    expect(message).toMatch(/classes\.portal\.maxCost/);
    expect(message).toMatch(/classes.*robots/);
    expect(message).toMatch(/cost\.fields\.lines.*must be "Type\.field"/);
    expect(() => loadLimitsPolicy(file('broken.json', '{ not json'))).toThrow(/GATEWAY_LIMITS_PATH .*broken\.json/);
  });
});

describe('gateway configuration', () => {
  it('refuses to start without REDIS_URL, which holds the rate limits', () => {
    const { REDIS_URL: _unset, ...withoutRedis } = env;
    expect(() => readGatewayConfig(withoutRedis)).toThrow(/REDIS_URL: required: the gateway keeps per-subject rate limits in Redis/);
    expect(() => readGatewayConfig({ ...env, REDIS_URL: 'http://nope' })).toThrow(/REDIS_URL: must be a redis/);
  });

  it('loads the limits and the trusted documents, and refuses trusted-only clients without documents', () => {
    const limits = file('limits.json', JSON.stringify({ classes: { partner: { trustedOnly: true } } }));
    expect(() => readGatewayConfig({ ...env, GATEWAY_LIMITS_PATH: limits })).toThrow(/trusted-only.*set TRUSTED_DOCUMENTS_PATH/);
    const query = '{ warehouses { id } }';
    const manifest = file('manifest.json', JSON.stringify({ '6a3bb3b5a5b0cbd6e7b5d3ee9a1f4b3e3b7b6a0fca6a4a7c0f8e6d1a2b3c4d5e6': query }));
    expect(() => readGatewayConfig({ ...env, GATEWAY_LIMITS_PATH: limits, TRUSTED_DOCUMENTS_PATH: manifest })).toThrow(/is not the sha256 of its document/);
  });
});
