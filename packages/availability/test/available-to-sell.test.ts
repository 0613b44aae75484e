import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@crossdock/testkit';
import { channelFigures, checkRuleSet, loadChannelRules, parseChannelRules, sellableOf, WHOLE_CHANNEL, type ChannelRules } from '../src';

const store = (overrides: Record<string, unknown> = {}): ChannelRules =>
  parseChannelRules({
    channel: 'web',
    perLocation: true,
    bufferUnits: 1,
    sharePercent: 60,
    floorUnits: 2,
    connector: { kind: 'shopify', urlEnv: 'SHOP_URL', locations: { 'WH-EAST': 1001, 'WH-WEST': 1002 } },
    ...overrides,
  });
const marketplace = (overrides: Record<string, unknown> = {}): ChannelRules =>
  parseChannelRules({ channel: 'marketplace', bufferUnits: 0, sharePercent: 40, maxListed: 50, connector: { kind: 'marketplace', urlEnv: 'MARKET_URL', name: 'tradewind-market' }, ...overrides });

describe('available-to-sell rules', () => {
  it('applies share, buffer, cap and floor in that order, never below zero', () => {
    const rules = { sharePercent: 50, bufferUnits: 2, maxListed: 10, floorUnits: 3 };
    expect(sellableOf(100, rules)).toBe(10); // 50 − 2 = 48, capped at 10
    expect(sellableOf(10, rules)).toBe(3); // 5 − 2 = 3, at the floor
    expect(sellableOf(9, rules)).toBe(0); // 4 − 2 = 2, below the floor of 3
    expect(sellableOf(0, rules)).toBe(0);
    expect(sellableOf(-4, rules)).toBe(0);
  });

  it('tells a per-location channel each of its locations, and a whole-channel one the sum of the warehouses that serve it', () => {
    const atp = new Map([
      ['WH-EAST', 10],
      ['WH-WEST', 5],
      ['WH-SOUTH', 100],
    ]);
    expect(channelFigures(store(), 'SKU-1', atp)).toEqual([
      { channel: 'web', sku: 'SKU-1', location: 'WH-EAST', quantity: 5 }, // 60% of 10 = 6, − 1
      { channel: 'web', sku: 'SKU-1', location: 'WH-WEST', quantity: 2 }, // 3 − 1 = 2, at the floor
    ]);
    expect(channelFigures(marketplace({ warehouses: ['WH-EAST', 'WH-WEST'] }), 'SKU-1', atp)).toEqual([{ channel: 'marketplace', sku: 'SKU-1', location: WHOLE_CHANNEL, quantity: 6 }]);
    expect(channelFigures(marketplace(), 'SKU-1', atp)).toEqual([{ channel: 'marketplace', sku: 'SKU-1', location: WHOLE_CHANNEL, quantity: 46 }]);
  });

  it('keeps what two channels may sell of the last units within ATP', () => {
    const web = store({ perLocation: true, connector: { kind: 'shopify', urlEnv: 'SHOP_URL', locations: { 'WH-EAST': 1001 } } });
    const market = marketplace({ warehouses: ['WH-EAST'] });
    checkRuleSet([web, market]);
    for (let atp = 0; atp <= 40; atp += 1) {
      const stock = new Map([['WH-EAST', atp]]);
      const total = [...channelFigures(web, 'SKU-1', stock), ...channelFigures(market, 'SKU-1', stock)].reduce((sum, f) => sum + f.quantity, 0);
      expect({ atp, total: Math.min(total, atp) }).toEqual({ atp, total });
    }
    // The last three units: the store's floor hides its one, the marketplace's 40% shows one.
    const last = new Map([['WH-EAST', 3]]);
    expect([...channelFigures(web, 'SKU-1', last), ...channelFigures(market, 'SKU-1', last)].map((f) => f.quantity)).toEqual([0, 1]);
  });

  it('refuses shares that promise the same unit twice, naming the warehouse and the channels', () => {
    expect(() => checkRuleSet([store({ sharePercent: 70 }), marketplace({ sharePercent: 40, warehouses: ['WH-EAST'] })])).toThrow(
      'warehouse WH-EAST: shares of web 70% + marketplace 40% = 110% promise more than the stock; make them sum to at most 100',
    );
    expect(() => checkRuleSet([store({ sharePercent: 70 }), marketplace({ sharePercent: 40, warehouses: ['WH-SOUTH'] })])).not.toThrow();
  });

  it('names every bad value of a rules file', () => {
    expect(() => parseChannelRules({ channel: 'fax', bufferUnits: -1, connector: { kind: 'shopify', urlEnv: 'x', locations: {} } }, 'config/availability/fax.json')).toThrow(
      /^config\/availability\/fax\.json: channel must be one of web, edi, marketplace, b2b-portal; bufferUnits .*; connector\.urlEnv must be an environment variable name/,
    );
    expect(() => parseChannelRules({ channel: 'web', connector: { kind: 'shopify', urlEnv: 'SHOP_URL', locations: { 'WH-EAST': 1 } } }, 'web.json')).toThrow(
      'web.json: a shopify connector sets stock per location; set "perLocation": true',
    );
    expect(() => store({ warehouses: ['WH-EAST', 'WH-SOUTH'] })).toThrow('connector.locations has no store location for warehouse WH-SOUTH');
  });

  it('loads the example rules shipped in config/availability', () => {
    const rules = loadChannelRules(join(repoRoot(), 'config', 'availability'));
    expect(rules.map((r) => [r.channel, r.connector.kind, r.warehouses])).toEqual([
      ['edi', 'edi-846', null],
      ['marketplace', 'marketplace', ['WH-EAST', 'WH-CENTRAL']],
      ['web', 'shopify', ['WH-CENTRAL', 'WH-EAST', 'WH-SOUTH', 'WH-WEST']],
    ]);
  });
});
