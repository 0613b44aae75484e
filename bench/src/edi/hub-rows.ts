import { setTimeout as sleep } from 'node:timers/promises';
import type { HubStack } from '@crossdock/testkit';
import { MongoClient } from 'mongodb';
import { createClient } from 'redis';
import { Pool } from 'undici';
import { backingServiceProcesses } from '../hub-processes';
import { sampleProcesses, type ProcessUsage } from '../load';
import { describePerOrder, ferretDbCommandCounts, perOrder } from '../place-order/store-commands';
import { orderMix } from '../place-order/order-mix';
import { shopifyWebhook, VICS_ONE_UNIT_LINES, vicsInterchange } from './edi-documents';

/** What a row over the running hub measured. */
export interface HubRate {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
  firstFailure: string | null;
  usage: Record<string, ProcessUsage>;
  /** FerretDB requests per successful request, by command ("31.2 (insert 9.0, …)"); null without the debug handler. */
  ferretDbRequests: string | null;
}

/** The webhook row: acknowledgements at a fixed rate, then how fast the inbox worked them off. */
export interface WebhookRate extends HubRate {
  offeredPerSecond: number;
  /** Deliveries processed (placed or refused) per second, from the first send until the inbox was empty. */
  processedPerSecond: number;
  /** Deliveries still pending when the drain wait gave up (0: all processed). */
  leftPending: number;
  /**
   * Redis's own record of slow AOF fsyncs (LATENCY HISTORY aof-fsync-always, threshold 5 ms)
   * while the webhooks were sent: seconds with one, and the worst. With fsync always Redis answers
   * no write before its fsync, so a stall of the disk holds every acknowledgement in it.
   */
  fsyncStalls: { seconds: number; worstMs: number } | null;
}

/** The partner's credentials in config/partners/acme-retail.json (a development secret). */
const ACME_BASIC = `Basic ${Buffer.from('acme-retail:acme-dev-secret').toString('base64')}`;

const PLACE_ORDER = /* GraphQL */ `
  mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code message } } }
`;

/** Closed loop: `connections` callers, each sending its next request as soon as the last one answered. */
async function closedLoop(connections: number, seconds: number, call: (n: number) => Promise<string | null>, pids: Record<string, number>): Promise<HubRate> {
  const debugUrl = backingServiceProcesses().ferretDb?.debugUrl ?? null;
  const countsBefore = debugUrl ? await ferretDbCommandCounts(debugUrl) : null;
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  const sampler = sampleProcesses(pids);
  const started = Date.now();
  const deadline = started + seconds * 1_000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        const failure = await call(n).catch((error: unknown) => String(error));
        latencies.push(performance.now() - t0);
        if (failure !== null) {
          failed += 1;
          firstFailure ??= failure;
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1_000;
  const usage = sampler.stop();
  const ok = latencies.length - failed;
  // The background loops' requests in the window are counted too: what a request costs the database in a running hub.
  const ferretDbRequests = debugUrl && countsBefore && ok > 0 ? describePerOrder(perOrder(countsBefore, await ferretDbCommandCounts(debugUrl), ok)) : null;
  return { ...summary(latencies, elapsed), failed, ok, firstFailure, usage, ferretDbRequests };
}

/** What the hub costs with no requests coming in: FerretDB requests per second (the background loops' polls) and CPU. */
export interface IdleCost {
  ferretDbRequestsPerSecond: string | null;
  usage: Record<string, ProcessUsage>;
}

/** The hub left alone for `seconds` (after the rows above filled its collections): what its background loops cost. */
export async function measureIdle(hub: HubStack, seconds: number): Promise<IdleCost> {
  const debugUrl = backingServiceProcesses().ferretDb?.debugUrl ?? null;
  const before = debugUrl ? await ferretDbCommandCounts(debugUrl) : null;
  const sampler = sampleProcesses(pids(hub));
  await sleep(seconds * 1_000);
  const usage = sampler.stop();
  const ferretDbRequestsPerSecond = debugUrl && before ? describePerOrder(perOrder(before, await ferretDbCommandCounts(debugUrl), seconds)) : null;
  return { ferretDbRequestsPerSecond, usage };
}

/** EDI end to end: POST /edi/x12 at the gateway, each a new interchange and PO of the VICS sample (1 unit per line). */
export function measureEdiEndToEnd(hub: HubStack, connections: number, seconds: number, offset: number): Promise<HubRate> {
  return closedLoop(
    connections,
    seconds,
    async (n) => {
      const response = await fetch(`${hub.gatewayUrl}/edi/x12`, { method: 'POST', headers: { authorization: ACME_BASIC, 'content-type': 'application/edi-x12' }, body: vicsInterchange(offset + n) });
      const text = await response.text();
      if (response.status !== 200 || !text.includes('"outcome":"accepted"')) return `HTTP ${response.status}: ${text.slice(0, 200)}`;
      return null;
    },
    pids(hub),
  );
}

/**
 * The bound: the same order (6 lines, 1 unit each) through placeOrder at the gateway, without EDI.
 * The customers in good standing take turns (the place-order suite's mix): the partner's one
 * customer, whose credit the EDI rows have used, would otherwise run out of credit when
 * placeOrder runs fast, and refusals are no bound.
 */
export async function measurePlaceOrder(hub: HubStack, connections: number, seconds: number, offset: number): Promise<HubRate> {
  const token = await hub.token({ scopes: ['orders:write', 'orders:read'] });
  const customers = orderMix().customerTurns;
  return closedLoop(
    connections,
    seconds,
    async (n) => {
      const input = { idempotencyKey: `bench-bound-${offset + n}`, channel: 'edi', externalRef: `BOUND-${offset + n}`, customerId: customers[(offset + n) % customers.length], lines: VICS_ONE_UNIT_LINES };
      const { status, body } = await hub.query<{ placeOrder: { order: { id: string } | null; errors: { code: string; message: string }[] } }>(PLACE_ORDER, { input }, token);
      if (status !== 200 || !body.data?.placeOrder.order) return `HTTP ${status}: ${JSON.stringify(body.data?.placeOrder.errors ?? body.errors).slice(0, 200)}`;
      return null;
    },
    pids(hub),
  );
}

/**
 * Open loop: webhooks sent at `rate` per second whatever the answers (latency counted from each
 * request's scheduled time, so a slow answer delays none of the later ones' clocks), then waits
 * for the inbox to be worked off and reports how fast that went.
 */
export async function measureWebhooks(hub: HubStack, secret: string, rate: number, seconds: number): Promise<WebhookRate> {
  const total = Math.round(rate * seconds);
  // Made before the clock starts: the sender must keep its schedule, not build bodies on it.
  const webhooks = Array.from({ length: total }, (_, n) => shopifyWebhook(n, secret));
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | null = null;
  // A sender keeps a bounded pool of keep-alive connections, as a store's webhook dispatcher
  // does; a request waiting for a free connection is still late by the schedule's clock.
  const pool = new Pool(hub.gatewayUrl, { connections: 64 });
  const fsyncWatch = await watchAofFsync(hub.redisUrl);
  const sampler = sampleProcesses(pids(hub));
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1_000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const { body, headers } = webhooks[n] as { body: string; headers: Record<string, string> };
    sends.push(
      pool.request({ path: '/webhooks/shopify/orders/create', method: 'POST', headers, body }).then(
        async (response) => {
          await response.body.dump();
          latencies.push(performance.now() - due);
          if (response.statusCode !== 202) {
            failed += 1;
            firstFailure ??= `HTTP ${response.statusCode}`;
          }
        },
        (error: unknown) => {
          failed += 1;
          firstFailure ??= String(error);
        },
      ),
    );
  }
  await Promise.all(sends);
  await pool.close();
  const sentSeconds = (performance.now() - started) / 1_000;
  const usage = sampler.stop();
  const fsyncStalls = await fsyncWatch.stop();
  const drained = await drainInbox(hub.mongoUrl, total, 60_000);
  const drainSeconds = (performance.now() - started) / 1_000;
  return {
    ...summary(latencies, sentSeconds),
    ok: latencies.length - failed,
    failed,
    firstFailure,
    usage,
    ferretDbRequests: null,
    offeredPerSecond: rate,
    processedPerSecond: drained.processed / drainSeconds,
    leftPending: drained.pending,
    fsyncStalls,
  };
}

/**
 * Turns on Redis's latency monitor (5 ms) for the AOF fsyncs from now; stop() answers the seconds
 * since with a slow one and the worst, or null when Redis would not say (a managed Redis may
 * refuse CONFIG).
 */
async function watchAofFsync(redisUrl: string): Promise<{ stop(): Promise<WebhookRate['fsyncStalls']> }> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  const since = Math.floor(Date.now() / 1_000);
  const watching = await client
    .sendCommand(['CONFIG', 'SET', 'latency-monitor-threshold', '5'])
    .then(() => client.sendCommand(['LATENCY', 'RESET', 'aof-fsync-always']))
    .then(
      () => true,
      () => false,
    );
  return {
    async stop() {
      try {
        if (!watching) return null;
        const history = await client.sendCommand(['LATENCY', 'HISTORY', 'aof-fsync-always']);
        // [[unix seconds, worst ms in that second], …]
        const stalls = (Array.isArray(history) ? history : []).flatMap((entry: unknown) => (Array.isArray(entry) && Number(entry[0]) >= since ? [Number(entry[1])] : []));
        return { seconds: stalls.length, worstMs: stalls.reduce((worst, ms) => Math.max(worst, ms), 0) };
      } finally {
        await client.close();
      }
    },
  };
}

/**
 * Waits until no delivery is pending in the commerce service's inbox, or gives up. Pending ones
 * are counted on the inbox's work list (channel_work): a count of channel_webhooks itself would
 * make FerretDB read every stored delivery four times a second, beside the inbox it measures.
 */
async function drainInbox(mongoUrl: string, expected: number, timeoutMs: number): Promise<{ processed: number; pending: number }> {
  const client = new MongoClient(mongoUrl);
  try {
    const db = client.db(`${client.db().databaseName}_channels`);
    const inbox = db.collection('channel_webhooks');
    const workList = db.collection('channel_work');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await workList.countDocuments({ kind: 'webhook' });
      const late = Date.now() > deadline;
      if (pending === 0 || late) {
        const total = await inbox.countDocuments({});
        if (total >= expected || late) return { processed: total - pending, pending };
      }
      await sleep(250);
    }
  } finally {
    await client.close();
  }
}

function pids(hub: HubStack): Record<string, number> {
  const backing = backingServiceProcesses();
  return {
    gateway: hub.gateway.pid,
    commerce: hub.subgraph('commerce').pid,
    ...(backing.ferretDb ? { ferretdb: backing.ferretDb.pid } : {}),
    ...(backing.redis ? { redis: backing.redis.pid } : {}),
  };
}

function summary(latencies: number[], seconds: number): Pick<HubRate, 'perSecond' | 'p50Ms' | 'p99Ms'> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}
