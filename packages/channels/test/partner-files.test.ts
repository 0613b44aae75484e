import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@crossdock/testkit';
import { loadPartners, PartnerDirectory, watchPartnerFiles, watchStoreChannelFiles, type ChannelLogEntry, type ConfigFolderWatch, type PartnerFiles, type WebhookChannels } from '../src';

/** Polls until `check` holds, for up to 10 s (file events arrive when the kernel sends them). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const line = (buyerPart: string) => ({ index: 1, assignedId: '1', quantity: 1, uom: 'EA', unitPrice: null, segmentPosition: 2, productIds: [{ qualifier: 'CB', value: buyerPart }] });

describe('partner files reloaded on change', () => {
  let dir: string;
  let watch: PartnerFiles;
  let directory: PartnerDirectory;
  const logged: ChannelLogEntry[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-partners-'));
    cpSync(join(repoRoot(), 'config', 'partners'), join(dir, 'partners'), { recursive: true });
    directory = new PartnerDirectory(loadPartners(dir));
    watch = watchPartnerFiles({ dir, directory, debounceMs: 50, log: (entry) => logged.push(entry) });
  });
  afterEach(() => {
    watch.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const acmeFile = () => join(dir, 'partners', 'acme-retail.json');
  const acme = () => JSON.parse(readFileSync(acmeFile(), 'utf8')) as { items: { sku: string; buyerPart?: string }[] };

  it('takes an edited cross-reference and a new partner without a restart', async () => {
    expect(directory.get('acme-retail')?.resolve(line('NEW-PART-1'))).toMatchObject({ ok: false });
    const edited = acme();
    edited.items.push({ sku: 'SKU-00099', buyerPart: 'NEW-PART-1' });
    writeFileSync(acmeFile(), JSON.stringify(edited));
    await until(() => directory.get('acme-retail')?.resolve(line('NEW-PART-1')).ok === true);
    expect(directory.get('acme-retail')?.resolve(line('NEW-PART-1'))).toEqual({ ok: true, sku: 'SKU-00099', quantity: 1 });

    const newcomer = { ...acme(), id: 'newcomer-stores', name: 'Newcomer', isa: { qualifier: 'ZZ', id: 'NEWCOMER' } };
    writeFileSync(join(dir, 'partners', 'newcomer-stores.json'), JSON.stringify(newcomer));
    await until(() => directory.get('newcomer-stores') !== null);
    const header = { senderQualifier: 'ZZ', senderId: 'NEWCOMER', receiverQualifier: 'ZZ', receiverId: 'CROSSDOCK', date: '261127', time: '0700', version: '00401', controlNumber: '000000001', acknowledgmentRequested: false, usage: 'P' };
    expect(directory.sender(header)?.partner.id).toBe('newcomer-stores');
    expect(watch.lastError).toBeNull();
  });

  it('refuses a file that does not validate with an error naming it, and keeps the partners as they were', async () => {
    const before = directory.all().map((c) => c.partner.id);
    writeFileSync(acmeFile(), JSON.stringify({ ...acme(), customerId: '' }));
    await until(() => watch.lastError !== null);
    expect(watch.lastError).toMatch(/acme-retail\.json: customerId/);
    expect(logged.some((entry) => entry.level === 'error' && /partner files not reloaded, the previous ones stay in use/.test(entry.message))).toBe(true);
    expect(directory.all().map((c) => c.partner.id)).toEqual(before);
    expect(directory.get('acme-retail')?.partner.customerId).toBe('CUST-0005');

    writeFileSync(acmeFile(), '{ "id": "acme-retail", ');
    await until(() => /not valid JSON/.test(watch.lastError ?? ''));
    expect(directory.get('acme-retail')?.partner.customerId).toBe('CUST-0005');

    // Fixed: taken, and the error is cleared.
    cpSync(join(repoRoot(), 'config', 'partners', 'acme-retail.json'), acmeFile());
    await until(() => watch.lastError === null);
    expect(directory.all().map((c) => c.partner.id)).toEqual(before);
  });
});

describe('store channel files reloaded on change', () => {
  let dir: string;
  let watch: ConfigFolderWatch;
  const taken: WebhookChannels[] = [];
  const env = { SHOPIFY_WEBHOOK_SECRET: 'shop-secret', TRADEWIND_WEBHOOK_SECRET: 'tw-secret', BAZAAR_WEBHOOK_SECRET: 'bz-secret' };
  let refuseNext = false;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossdock-channels-'));
    cpSync(join(repoRoot(), 'config', 'channels'), join(dir, 'channels'), { recursive: true });
    taken.length = 0;
    refuseNext = false;
    watch = watchStoreChannelFiles({
      dir,
      env,
      debounceMs: 50,
      apply: (channels) => {
        if (refuseNext) throw new Error('mapping of channel bazaar does not compile');
        taken.push(channels);
      },
    });
  });
  afterEach(() => {
    watch.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = (channels: WebhookChannels | undefined) => [...(channels?.shopify ? ['shopify'] : []), ...(channels?.mapped.map((c) => c.name) ?? [])];

  it('hands over a new marketplace channel, with its mapping and secret, without a restart', async () => {
    writeFileSync(join(dir, 'channels', 'bazaar.jsonata'), readFileSync(join(dir, 'channels', 'tradewind-market.jsonata'), 'utf8'));
    writeFileSync(
      join(dir, 'channels', 'bazaar.json'),
      JSON.stringify({ kind: 'mapped', name: 'bazaar', channel: 'marketplace', mapping: 'bazaar.jsonata', secretEnv: 'BAZAAR_WEBHOOK_SECRET', signatureHeader: 'x-bazaar-signature', deliveryIdHeader: 'x-bazaar-delivery' }),
    );
    await until(() => names(taken.at(-1)).includes('bazaar'));
    const bazaar = taken.at(-1)?.mapped.find((c) => c.name === 'bazaar');
    expect(bazaar).toMatchObject({ secret: 'bz-secret', channel: 'marketplace' });
    expect(bazaar?.expression).toBe(readFileSync(join(dir, 'channels', 'tradewind-market.jsonata'), 'utf8'));
    expect(names(taken.at(-1)).sort()).toEqual(['bazaar', 'shopify', 'tradewind-market']);
    expect(watch.lastError).toBeNull();
  });

  it('keeps the channels as they were when a file does not validate or the taker refuses the set', async () => {
    writeFileSync(join(dir, 'channels', 'shopify.json'), JSON.stringify({ kind: 'shopify', secretEnv: 'SHOPIFY_WEBHOOK_SECRET', channel: 'Not A Channel!' }));
    await until(() => watch.lastError !== null);
    expect(watch.lastError).toMatch(/shopify\.json: channel/);
    expect(taken).toEqual([]);

    cpSync(join(repoRoot(), 'config', 'channels', 'shopify.json'), join(dir, 'channels', 'shopify.json'));
    refuseNext = true;
    expect(watch.reload()).toBe(false);
    expect(watch.lastError).toBe('mapping of channel bazaar does not compile');
    expect(taken).toEqual([]);

    refuseNext = false;
    expect(watch.reload()).toBe(true);
    expect(names(taken.at(-1)).sort()).toEqual(['shopify', 'tradewind-market']);
  });
});
