import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot, shopifyExampleBody, VICS_850, x12Fixture } from '@crossdock/testkit';
import { readInterchanges, readPurchaseOrder } from '@crossdock/edi';
import {
  ChannelConfigError,
  loadChannelConfig,
  OrderMapping,
  PartnerDirectory,
  PayloadError,
  readShopifyOrder,
  secretDigest,
  shopifyChannelOrder,
  verifyWebhookSignature,
  webhookSignature,
} from '../src';

const CONFIG_DIR = join(repoRoot(), 'config');
const SECRETS = { SHOPIFY_WEBHOOK_SECRET: 'shopify-test-secret', TRADEWIND_WEBHOOK_SECRET: 'tradewind-test-secret' };

describe('channel configuration as data', () => {
  it('loads the repository’s partner and channel files', () => {
    const config = loadChannelConfig(CONFIG_DIR, SECRETS);
    expect(config.partners.map((p) => p.id).sort()).toEqual(['acme-retail', 'sender-corp']);
    expect(config.shopify?.customerId).toBe('CUST-0004');
    expect(config.mapped.map((m) => m.name)).toEqual(['tradewind-market']);
    expect(config.disabled).toEqual([]);
  });

  it('leaves a channel out, saying so, when its secret is not in the environment', () => {
    const config = loadChannelConfig(CONFIG_DIR, {});
    expect(config.shopify).toBeNull();
    expect(config.disabled).toEqual([expect.stringMatching(/shopify\.json: not served, SHOPIFY_WEBHOOK_SECRET/), expect.stringMatching(/TRADEWIND_WEBHOOK_SECRET/)]);
  });

  it('names the file and every bad value of a broken partner file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partners-'));
    mkdirSync(join(dir, 'partners'));
    writeFileSync(join(dir, 'partners', 'bad.json'), JSON.stringify({ id: 'Bad Id', name: 'x', customerId: 'C', isa: { qualifier: 'ZZZ', id: 'A' }, receiver: { qualifier: 'ZZ', id: 'B' }, auth: { secretSha256: 'plain-secret' } }));
    expect(() => loadChannelConfig(dir, {})).toThrow(ChannelConfigError);
    expect(() => loadChannelConfig(dir, {})).toThrow(/bad\.json: id must be a lower-case slug.*isa\.qualifier.*auth\.secretSha256 must be the hex SHA-256/);
  });

  it('resolves the VICS sample’s buyer part numbers through the cross-reference, and CA through the unit table', () => {
    const partners = new PartnerDirectory(loadChannelConfig(CONFIG_DIR, {}).partners);
    const [interchange] = readInterchanges(x12Fixture(VICS_850));
    const catalog = interchange ? partners.sender(interchange.header) : null;
    expect(catalog?.partner.id).toBe('acme-retail');
    const order = readPurchaseOrder(interchange!.groups[0]!.sets[0]!).order!;
    expect(order.lines.map((line) => catalog!.resolve(line))).toEqual([
      { ok: true, sku: 'SKU-00056', quantity: 120 },
      { ok: true, sku: 'SKU-00075', quantity: 220 },
      { ok: true, sku: 'SKU-00128', quantity: 126 },
      { ok: true, sku: 'SKU-00104', quantity: 76 },
      { ok: true, sku: 'SKU-00142', quantity: 72 },
      { ok: true, sku: 'SKU-00107', quantity: 696 },
    ]);
    const cases = { ...order.lines[0]!, uom: 'CA', quantity: 2 };
    expect(catalog!.resolve(cases)).toEqual({ ok: true, sku: 'SKU-00056', quantity: 24 });
    expect(catalog!.resolve({ ...order.lines[0]!, uom: 'DZ' })).toEqual({ ok: false, reason: expect.stringMatching(/unit DZ has no conversion/) });
    expect(catalog!.resolve({ ...order.lines[0]!, productIds: [{ qualifier: 'CB', value: 'NOPE' }] })).toEqual({ ok: false, reason: expect.stringMatching(/no item of acme-retail's cross-reference matches CB NOPE/) });
  });

  it('stores only the digest of a partner secret', () => {
    expect(secretDigest('acme-dev-secret')).toBe(loadChannelConfig(CONFIG_DIR, {}).partners.find((p) => p.id === 'acme-retail')?.auth.secretSha256);
  });
});

describe('Shopify’s documented example payloads', () => {
  const created = shopifyExampleBody('orders/create');

  it('keeps ids beyond 2^53 exact, as strings', () => {
    const order = readShopifyOrder(created);
    expect(order.id).toBe('820982911946154500');
    // The same payload with the real id (…508) is not rounded to …500 as JSON.parse would.
    expect(readShopifyOrder(created.replace('820982911946154500', '820982911946154508')).id).toBe('820982911946154508');
    expect(String(JSON.parse('820982911946154508'))).not.toBe('820982911946154508');
    expect(order.lines.map((l) => [l.lineItemId, l.sku, l.quantity])).toEqual([
      ['487817672276298560', 'SKU2006-001', 1],
      ['789012345678901200', 'LENS-PROTECT-2YR', 1],
      ['890123456789012400', 'CASE-LEATHER-PREM', 1],
      ['976318377106520300', 'SKU2006-020', 1],
      ['315789986012684400', 'SKU2006-035', 1],
    ]);
  });

  it('maps store SKUs to ours and books the store’s customer account', () => {
    const config = loadChannelConfig(CONFIG_DIR, SECRETS).shopify!;
    expect(shopifyChannelOrder(readShopifyOrder(created), config)).toEqual({
      externalRef: '820982911946154500',
      customerId: 'CUST-0004',
      lines: [
        { sku: 'SKU-00056', quantity: 1 },
        { sku: 'SKU-00075', quantity: 1 },
        { sku: 'SKU-00128', quantity: 1 },
        { sku: 'SKU-00104', quantity: 1 },
        { sku: 'SKU-00142', quantity: 1 },
      ],
    });
  });

  it('verifies X-Shopify-Hmac-Sha256 over the raw bytes only', () => {
    const signature = webhookSignature(created, 'secret');
    expect(verifyWebhookSignature(Buffer.from(created), signature, 'secret')).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(created), signature, 'other-secret')).toBe(false);
    expect(verifyWebhookSignature(Buffer.from(`${created} `), signature, 'secret')).toBe(false);
    expect(verifyWebhookSignature(Buffer.from(created), undefined, 'secret')).toBe(false);
    expect(verifyWebhookSignature(Buffer.from(created), 'short', 'secret')).toBe(false);
  });

  it('says where a payload is not an order', () => {
    expect(() => readShopifyOrder('{"id": 1, "line_items": []}')).toThrow(PayloadError);
    expect(() => readShopifyOrder('{"id": 1, "line_items": []}')).toThrow(/line_items/);
    expect(() => readShopifyOrder('{"id": ')).toThrow(/not JSON/);
  });
});

describe('a marketplace described by a JSONata mapping', () => {
  const { expression } = loadChannelConfig(CONFIG_DIR, SECRETS).mapped[0]!;
  const mapping = new OrderMapping('tradewind-market', expression);

  it('turns the marketplace’s order JSON into an order request', async () => {
    const body = '{"orderNumber":"TW-100007","marketplaceOrderId":9007199254741000,"buyer":{"accountRef":"CUST-0006"},"items":[{"listingSku":"TW-SKU-00056","qty":2},{"listingSku":"TW-SKU-00075","qty":1}]}';
    await expect(mapping.apply(body)).resolves.toEqual({ externalRef: 'TW-100007', customerId: 'CUST-0006', lines: [{ sku: 'SKU-00056', quantity: 2 }, { sku: 'SKU-00075', quantity: 1 }] });
  });

  it('refuses what the mapping cannot turn into an order, saying which field', async () => {
    await expect(mapping.apply('{"orderNumber":"TW-1","buyer":{},"items":[]}')).rejects.toThrow(/mapping tradewind-market produced no order.*customerId|customerId/);
    expect(() => new OrderMapping('broken', '{ "a": ')).toThrow(/mapping of channel broken does not compile/);
  });
});
