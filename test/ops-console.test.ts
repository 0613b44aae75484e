import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, setSimulatorFault, startHubStack, type HubStack } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually } from './support/drill-kit';
import { cheapSkus, freshKey, goodCustomer, place, world } from './support/order-capture-kit';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it); playwright-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the outage drill's screenshot goes, committed for the README. */
const SCREENSHOT = join(repoRoot(), 'docs', 'ops-console-outage.png');
const WRITE_SCOPES = ['orders:write', 'orders:read', 'pricing:read'];

describe('operations console in headless Chromium: an outage drill and a replay (real processes, Redis, FerretDB)', () => {
  let hub: HubStack;
  let browser: Browser;
  let page: Page;
  let writer: string;
  let operator: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    hub = await startHubStack({
      env: { CIRCUIT_OPEN_MS: '1000', INVENTORY_RECONCILE_INTERVAL_MS: '0' },
      // One attempt per posting: a posting made while the ERP fails becomes an exception at once.
      // Commerce's own circuits stay closed (an open circuit makes the outbox wait instead of
      // attempting), so the attempt reaches the failing ERP; the ERP subgraph's circuit opens as usual.
      serviceEnv: { commerce: { OUTBOX_MAX_ATTEMPTS: '1', CIRCUIT_MIN_CALLS: '1000' } },
    });
    writer = await hub.token({ scopes: WRITE_SCOPES });
    operator = await hub.token({ scopes: ['ops:admin', 'orders:read', 'customers:read'] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // This machine's network is closed: no background connections, no sandbox as root.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const order = (sku: string) =>
    place(hub.query, writer, { idempotencyKey: freshKey('console'), channel: 'b2b-portal', customerId: goodCustomer(), lines: [{ sku, quantity: 1 }] });

  it('signs in with an ops:admin token and shows every service and closed circuits', async () => {
    await page.goto(`${hub.gatewayUrl}/ops`);
    await page.fill('#token', operator);
    await page.click('#signin-button');
    await page.waitForSelector('body[data-loaded="true"]');
    await page.waitForSelector('tr[data-circuit="erp:erp"][data-state="closed"]');
    for (const name of ['erp', 'wms', 'commerce', 'shipping']) await page.waitForSelector(`[data-service="${name}"] .badge.ready`);
    expect(await page.isHidden('#outage')).toBe(true);
  });

  it('refuses a token without ops:admin', async () => {
    const other = await browser.newPage();
    await other.goto(`${hub.gatewayUrl}/ops`);
    await other.fill('#token', writer);
    await other.click('#signin-button');
    await other.waitForSelector('#signin-error:has-text("ops:admin")');
    await other.close();
  });

  it('shows an ERP outage started with the fault switch, and the posting it turned into an exception', async () => {
    const [sku] = cheapSkus();
    // A healthy order first: the hub keeps the customer and prices it was validated with.
    expect((await order(sku!)).errors).toEqual([]);
    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'error', errorRate: 1 });
    // Taken on cached reference data; its ERP posting fails, and with one attempt allowed it is an exception.
    const failed = await order(sku!);
    expect(failed.errors).toEqual([]);
    // The answer may come while the posting is still under way (QUEUED); the outbox gives up after its one attempt.
    await eventually('the ERP posting FAILED', async () => {
      const { body } = await hub.query<{ order: { erpPosting: string } | null }>('query($id: ID!) { order(id: $id) { erpPosting } }', { id: failed.order!.id }, writer);
      return body.data?.order?.erpPosting === 'FAILED' ? true : null;
    });
    // Reads of ERP data open the ERP subgraph's circuit.
    await eventually('the erp circuit open', async () => {
      await hub.query('query { customer(id: $id) { id name } }'.replace('$id', JSON.stringify(world.customers[1]!.id)));
      const ready = await fetch(`${hub.subgraph('erp').url}/ready`);
      return ((await ready.json()) as { checks: { circuit?: string } }).checks.circuit === 'open' ? true : null; // /ready's shape
    });
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    await page.waitForSelector('tr[data-circuit="erp:erp"][data-state="open"]');
    expect(await page.textContent('#outage')).toContain('erp circuit open');
    await page.waitForSelector(`tr[data-exception] >> text=${failed.order!.id}`);
    await page.waitForSelector('[data-service="erp"] .badge.degraded');
    // Two polls draw the live latency chart (the page polls every 5 s).
    await page.waitForSelector('#latency-chart svg', { timeout: 15_000 });
    mkdirSync(join(repoRoot(), 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('replays the exception once the ERP is back, and the order is posted', async () => {
    await setSimulatorFault(hub.simulatorUrls.erp, { mode: 'none' });
    const { body } = await hub.query<{ exceptions: { edges: { node: { id: string; subject: string } }[] } }>(
      'query { exceptions(filter: { kinds: [ERP_POSTING], states: [OPEN] }) { edges { node { id subject } } } }',
      {},
      operator,
    );
    const exception = body.data!.exceptions.edges[0]!.node;
    await page.reload();
    await page.click(`button[data-replay="${exception.id}"]`);
    await page.waitForSelector(`#exceptions-note:has-text("${exception.id}: REPLAYED")`);
    await page.waitForSelector(`tr[data-exception="${exception.id}"]`, { state: 'detached' });
    const posted = await eventually('the replayed posting POSTED', async () => {
      const { body: state } = await hub.query<{ order: { erpPosting: string; erpOrderNumber: string | null } | null }>(
        'query($id: ID!) { order(id: $id) { erpPosting erpOrderNumber } }',
        { id: exception.subject },
        writer,
      );
      return state.data?.order?.erpPosting === 'POSTED' ? state.data.order : null;
    });
    expect(posted.erpOrderNumber).toEqual(expect.any(String));
  });
});
