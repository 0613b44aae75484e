import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { IDENTITY_HEADER, signIdentity } from '@crossdock/auth';
import type { ErpHttpConnector } from '@crossdock/connectors';
import { createLogger, memoryLogDestination } from '@crossdock/service';
import { generateWorld, type RunningSimulator } from '@crossdock/simulators';
import { MongoSnapshotStore } from '@crossdock/snapshots';
import { startFerretDb, startSubgraphOverHttp, type BackingService, type SubgraphOverHttp } from '@crossdock/testkit';
import { startErpSubgraph } from '../src/server';
import { erpBackend, TEST_IDENTITY } from './harness';

const SECRET = 'erp-snapshot-store-down-secret-0123';
const world = generateWorld();
const customer = world.customers[0]!;

let ferret: BackingService;
let store: MongoSnapshotStore;
let erp: SubgraphOverHttp<RunningSimulator, ErpHttpConnector>;
const logs = memoryLogDestination();

beforeAll(async () => {
  ferret = await startFerretDb();
  store = MongoSnapshotStore.create(ferret.url, { serverSelectionTimeoutMS: 300 });
  const logger = createLogger('erp', 'info', logs);
  erp = await startSubgraphOverHttp(erpBackend, {
    subgraphSecret: SECRET,
    start: (options) => startErpSubgraph({ ...options, logger, snapshots: { store, writer: { flushIntervalMs: 50 } } }),
  });
});
afterAll(async () => {
  await erp?.close();
  await store?.close();
  await ferret?.stop();
});

async function askCustomer(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${erp.service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(TEST_IDENTITY, SECRET) },
    body: JSON.stringify({ query: `{ customer(id: "${customer.id}") { id name } }` }),
  });
  return { status: response.status, body: await response.json() };
}

async function ready(): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(`${erp.service.url}/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } }; // /ready's documented shape
}

it('serves live data with MongoDB killed, raises an alarm, and shows the store down on /ready while staying ready', async () => {
  const answer = { status: 200, body: { data: { customer: { id: customer.id, name: customer.name } } } };
  expect(await askCustomer()).toEqual(answer);
  expect(await ready()).toEqual({ status: 200, body: { status: 'ready', checks: { erp: 'up', snapshots: 'up' } } });
  // The answer's snapshot is stored before the kill: a FerretDB killed while it creates a database
  // can leave the database's file without its catalog table, and then refuses to start again.
  await eventually(async () => ((await store.get('erp.customer', [customer.id]))[0] ? true : null));

  await ferret.kill();
  try {
    for (let i = 0; i < 3; i += 1) expect(await askCustomer()).toEqual(answer);
    const down = await eventually(async () => {
      const report = await ready();
      return report.body.checks.snapshots?.startsWith('down') ? report : null;
    });
    expect(down).toEqual({ status: 200, body: { status: 'ready', checks: { erp: 'up', snapshots: expect.stringMatching(/^down since .+: snapshot store at 127\.0\.0\.1:\d+ failed/) } } });
    expect(logs.entries.filter((entry) => entry.alarm === 'snapshot-store')).toEqual([
      expect.objectContaining({ level: 50, service: 'erp', msg: expect.stringContaining('snapshot store write failed') }),
    ]);
  } finally {
    await ferret.restart();
  }
  expect(await askCustomer()).toEqual(answer);
  await eventually(async () => ((await ready()).body.checks.snapshots === 'up' ? true : null));
});

/** Polls until `attempt` yields a value (bounded): the store's state is learnt from writes behind the requests. */
async function eventually<T>(attempt: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`no such outcome within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
