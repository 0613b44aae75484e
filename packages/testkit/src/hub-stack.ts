import { randomBytes } from 'node:crypto';
import { signDevToken } from '@crossdock/auth';
import { startFerretDb, startRedis, type BackingService } from './backing-services';
import { freePort } from './free-port';
import { startServiceProcess, type ServiceProcess } from './service-process';

export const SUBGRAPHS = ['erp', 'wms', 'commerce', 'shipping'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/**
 * The node flags every subgraph runs with, as its `npm run start:<name>` script gives them
 * (test/service-node-flags.test.ts keeps the two the same, so the benchmarks measure what runs in
 * production). A subgraph allocates a lot per request (backend answers parsed, mapped, compared
 * with their snapshots, executed and serialised), and with V8's default 16 MiB semi-spaces
 * objects still in use by requests in flight get copied again and again: 32 MiB cut the
 * subgraphs' CPU per unified order view by about a tenth for at most 32 MiB more memory each
 * (README, Running each service alone). The gateway keeps V8's default: its memory is held
 * against the other gateways'.
 */
export const SUBGRAPH_NODE_ARGS: readonly string[] = ['--max-semi-space-size=32'];

/** Every scope that reads; enough for the unified order view. */
export const READ_SCOPES = ['orders:read', 'inventory:read', 'shipments:read', 'customers:read', 'pricing:read'];

export interface HubStackOptions {
  /** Base latency of every simulator answer, in ms (default 0). */
  simulatorLatencyMs?: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /**
   * Extra environment for one kind of service, on top of `env`, e.g. short outbox delays for the
   * commerce subgraph only in a fault drill: `{ commerce: { OUTBOX_BASE_DELAY_MS: '200' } }`.
   */
  serviceEnv?: Partial<Record<SubgraphName | 'gateway', Record<string, string>>>;
  /** Extra node flags for the gateway processes (e.g. --cpu-prof). */
  gatewayNodeArgs?: string[];
  /** Extra node flags for one kind of subgraph (e.g. --cpu-prof; NODE_OPTIONS refuses it). */
  subgraphNodeArgs?: Partial<Record<SubgraphName, string[]>>;
  /** Extra node flags for the simulators' process (e.g. --cpu-prof). */
  simulatorNodeArgs?: string[];
  /**
   * Gateway replicas, each with its own commerce subgraph replica (default 1): orders racing
   * through different replicas meet only in Redis and MongoDB, as in production.
   */
  replicas?: number;
  /** Use these instead of starting a Redis and a FerretDB of the stack's own. */
  redisUrl?: string;
  mongoUrl?: string;
  /** Serve the stack's FerretDB debug handler (request counters for the benches); see startFerretDb. */
  ferretDbDebugHandler?: boolean;
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export type QueryFunction = <T = unknown>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<{ status: number; body: GraphQLBody<T> }>;

export interface GatewayReplica {
  url: string;
  process: ServiceProcess;
  /** The commerce subgraph replica behind this gateway. */
  commerce: ServiceProcess;
  query: QueryFunction;
}

export interface HubStack {
  /** The first gateway replica's URL. */
  gatewayUrl: string;
  /** Simulator base URLs by backend name (erp, wms, commerce, shipping). */
  simulatorUrls: Record<SubgraphName, string>;
  gateway: ServiceProcess;
  replicas: GatewayReplica[];
  redisUrl: string;
  mongoUrl: string;
  /** The stack's own Redis and FerretDB (absent when URLs were given), for fault drills. */
  redis: BackingService | null;
  mongo: BackingService | null;
  jwtSecret: string;
  /** The key the gateways sign subgraph requests (and subscription connections) with. */
  subgraphSecret: string;
  /** The key the WMS and carrier simulators sign their webhook notices with. */
  webhookSecret: string;
  /**
   * Starts one more replica of a subgraph on a free port, configured like the stack's own (same
   * Redis, MongoDB, backends and secrets); the stack stops it with the rest.
   */
  startSubgraphReplica(name: SubgraphName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** A bearer token for the gateways, signed with this stack's key. */
  token(options?: { scopes?: string[]; customerId?: string; channel?: string; ttlSeconds?: number }): Promise<string>;
  /** POSTs a GraphQL operation to the first gateway with a read-all token unless one is given. */
  query: QueryFunction;
  /**
   * Stops commerce replica `index` (if running) and starts it again on the same port with extra
   * environment, e.g. a crash-injection switch; the gateway in front of it keeps its URL.
   */
  restartCommerce(index: number, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Kills commerce replica `index` with SIGKILL (a crash: no graceful shutdown); restartCommerce brings it back. */
  killCommerce(index: number): Promise<void>;
  /** The running process of a subgraph (for commerce, of replica `replica`, default 0), e.g. to read its /ready. */
  subgraph(name: SubgraphName, replica?: number): ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Starts the whole hub as real processes on free ports: the four backend simulators (one
 * process), the subgraphs and the gateway(s), each as started in production (`index.ts` with its
 * configuration in the environment), over a real Redis and a real FerretDB. Stops everything it
 * started, also on failure.
 */
export async function startHubStack(options: HubStackOptions = {}): Promise<HubStack> {
  const jwtSecret = randomBytes(24).toString('hex');
  const subgraphSecret = randomBytes(24).toString('hex');
  const webhookSecret = randomBytes(24).toString('hex');
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.splice(0).reverse().map((p) => p.stop()));
  };
  try {
    const [redis, mongo] = await Promise.all([
      options.redisUrl ? null : startRedis(),
      options.mongoUrl ? null : startFerretDb({ debugHandler: options.ferretDbDebugHandler ?? false }),
    ]);
    if (redis) started.push(redis);
    if (mongo) started.push(mongo);
    const redisUrl = options.redisUrl ?? redis!.url;
    // A database of its own per stack, so parallel test files never see each other's orders.
    const mongoUrl = options.mongoUrl ?? mongo!.url;

    // The WMS and carrier post their notices to their subgraphs, so those ports are chosen first.
    const [wmsPort, shippingPort] = await Promise.all([freePort(), freePort()]);
    const simulators = await startServiceProcess({
      name: 'simulators',
      entry: 'simulators/src/main.ts',
      nodeArgs: options.simulatorNodeArgs ?? [],
      env: {
        ...options.env,
        SIM_ERP_PORT: '0',
        SIM_WMS_PORT: '0',
        SIM_COMMERCE_PORT: '0',
        SIM_SHIPPING_PORT: '0',
        SIM_LATENCY_MS: String(options.simulatorLatencyMs ?? 0),
        SIM_WMS_WEBHOOK_URL: `http://127.0.0.1:${wmsPort}/webhooks/wms`,
        SIM_SHIPPING_WEBHOOK_URL: `http://127.0.0.1:${shippingPort}/webhooks/carrier`,
        SIM_WEBHOOK_SECRET: webhookSecret,
      },
      waitFor: SUBGRAPHS.map((name) => `sim-${name}`),
    });
    started.push(simulators);
    const simulatorUrls = Object.fromEntries(
      SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${simulators.ports[`sim-${name}`]}`]),
    ) as Record<SubgraphName, string>; // built from SUBGRAPHS, so every key is present

    const common = {
      ...options.env,
      HUB_SUBGRAPH_SECRET: subgraphSecret,
      REDIS_URL: redisUrl,
      MONGO_URL: mongoUrl,
      ERP_BACKEND_URL: simulatorUrls.erp,
      WMS_BACKEND_URL: simulatorUrls.wms,
      COMMERCE_BACKEND_URL: simulatorUrls.commerce,
      SHIPPING_BACKEND_URL: simulatorUrls.shipping,
      WMS_WEBHOOK_SECRET: webhookSecret,
      CARRIER_WEBHOOK_SECRET: webhookSecret,
    };
    const startSubgraph = async (name: SubgraphName, port = 0, env: Record<string, string> = {}) => {
      const process = await startServiceProcess({
        name,
        entry: `subgraphs/${name}/src/index.ts`,
        nodeArgs: [...SUBGRAPH_NODE_ARGS, ...(options.subgraphNodeArgs?.[name] ?? [])],
        env: { ...common, ...options.serviceEnv?.[name], ...env, [`${name.toUpperCase()}_PORT`]: String(port) },
      });
      started.push(process);
      return process;
    };
    const replicaCount = options.replicas ?? 1;
    const [erp, wms, shipping, ...commerce] = await Promise.all([
      startSubgraph('erp'),
      startSubgraph('wms', wmsPort),
      startSubgraph('shipping', shippingPort),
      ...Array.from({ length: replicaCount }, () => startSubgraph('commerce')),
    ]);

    const token: HubStack['token'] = (o = {}) =>
      signDevToken({
        secret: jwtSecret,
        subject: 'test-client',
        scopes: o.scopes ?? READ_SCOPES,
        customerId: o.customerId ?? null,
        channel: o.channel ?? null,
        ttlSeconds: o.ttlSeconds ?? 3600,
      });
    const defaultToken = await token();
    const replicas: GatewayReplica[] = await Promise.all(
      commerce.map(async (commerceReplica) => {
        const gateway = await startServiceProcess({
          name: 'gateway',
          entry: 'gateway/src/index.ts',
          nodeArgs: options.gatewayNodeArgs ?? [],
          env: {
            ...options.env,
            ...options.serviceEnv?.gateway,
            PORT: '0',
            HOST: '127.0.0.1',
            HUB_JWT_SECRET: jwtSecret,
            HUB_SUBGRAPH_SECRET: subgraphSecret,
            // Rate limits are kept in Redis, shared by the replicas.
            REDIS_URL: redisUrl,
            SUBGRAPH_URL_ERP: `${erp!.url}/graphql`,
            SUBGRAPH_URL_WMS: `${wms!.url}/graphql`,
            SUBGRAPH_URL_SHIPPING: `${shipping!.url}/graphql`,
            SUBGRAPH_URL_COMMERCE: `${commerceReplica.url}/graphql`,
          },
        });
        started.push(gateway);
        return { url: gateway.url, process: gateway, commerce: commerceReplica, query: queryAt(gateway.url, defaultToken) };
      }),
    );
    const first = replicas[0]!;
    const others = { erp: erp!, wms: wms!, shipping: shipping! };
    const replicaAt = (index: number): GatewayReplica => {
      const replica = replicas[index];
      if (!replica) throw new Error(`no commerce replica ${index}`);
      return replica;
    };
    return {
      gatewayUrl: first.url,
      simulatorUrls,
      gateway: first.process,
      replicas,
      redisUrl,
      mongoUrl,
      redis,
      mongo,
      jwtSecret,
      subgraphSecret,
      webhookSecret,
      startSubgraphReplica: (name, env = {}) => startSubgraph(name, 0, env),
      token,
      query: first.query,
      restartCommerce: async (index, env = {}) => {
        const replica = replicaAt(index);
        await replica.commerce.stop();
        replica.commerce = await startSubgraph('commerce', replica.commerce.port, env);
        return replica.commerce;
      },
      killCommerce: (index) => replicaAt(index).commerce.kill(),
      subgraph: (name, replica = 0) => (name === 'commerce' ? replicaAt(replica).commerce : others[name]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function queryAt(gatewayUrl: string, defaultToken: string): QueryFunction {
  return async <T>(query: string, variables?: Record<string, unknown>, bearer?: string) => {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer ?? defaultToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLBody<T> }; // GraphQL over HTTP answers this shape
  };
}
