import { randomBytes } from 'node:crypto';
import { signDevToken } from '@crossdock/auth';
import { startServiceProcess, type ServiceProcess } from './service-process';

export const SUBGRAPHS = ['erp', 'wms', 'commerce', 'shipping'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** Every scope that reads; enough for the unified order view. */
export const READ_SCOPES = ['orders:read', 'inventory:read', 'shipments:read', 'customers:read', 'pricing:read'];

export interface HubStackOptions {
  /** Base latency of every simulator answer, in ms (default 0). */
  simulatorLatencyMs?: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Extra node flags for the gateway process (e.g. --cpu-prof). */
  gatewayNodeArgs?: string[];
}

export interface HubStack {
  gatewayUrl: string;
  /** Simulator base URLs by backend name (erp, wms, commerce, shipping). */
  simulatorUrls: Record<SubgraphName, string>;
  subgraphUrls: Record<SubgraphName, string>;
  gateway: ServiceProcess;
  jwtSecret: string;
  /** A bearer token for the gateway, signed with this stack's key. */
  token(options?: { scopes?: string[]; customerId?: string; channel?: string; ttlSeconds?: number }): Promise<string>;
  /** POSTs a GraphQL operation to the gateway with a read-all token unless one is given. */
  query<T = unknown>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: GraphQLBody<T> }>;
  stop(): Promise<void>;
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/**
 * Starts the whole hub as real processes on free ports: the four backend simulators (one
 * process), the four subgraphs and the gateway, each as started in production (`index.ts` with
 * its configuration in the environment). Stops everything it started, also on failure.
 */
export async function startHubStack(options: HubStackOptions = {}): Promise<HubStack> {
  const jwtSecret = randomBytes(24).toString('hex');
  const subgraphSecret = randomBytes(24).toString('hex');
  const started: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
  };
  try {
    const simulators = await startServiceProcess({
      name: 'simulators',
      entry: 'simulators/src/main.ts',
      env: {
        ...options.env,
        SIM_ERP_PORT: '0',
        SIM_WMS_PORT: '0',
        SIM_COMMERCE_PORT: '0',
        SIM_SHIPPING_PORT: '0',
        SIM_LATENCY_MS: String(options.simulatorLatencyMs ?? 0),
      },
      waitFor: SUBGRAPHS.map((name) => `sim-${name}`),
    });
    started.push(simulators);
    const simulatorUrls = Object.fromEntries(
      SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${simulators.ports[`sim-${name}`]}`]),
    ) as Record<SubgraphName, string>; // built from SUBGRAPHS, so every key is present

    const subgraphs = await Promise.all(
      SUBGRAPHS.map((name) =>
        startServiceProcess({
          name,
          entry: `subgraphs/${name}/src/index.ts`,
          env: {
            ...options.env,
            [`${name.toUpperCase()}_PORT`]: '0',
            [`${name.toUpperCase()}_BACKEND_URL`]: simulatorUrls[name],
            HUB_SUBGRAPH_SECRET: subgraphSecret,
          },
        }).then((p) => {
          started.push(p);
          return p;
        }),
      ),
    );
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((p) => [p.name, `${p.url}/graphql`]),
    ) as Record<SubgraphName, string>; // one entry per subgraph started above

    const gateway = await startServiceProcess({
      name: 'gateway',
      entry: 'gateway/src/index.ts',
      nodeArgs: options.gatewayNodeArgs ?? [],
      env: {
        ...options.env,
        PORT: '0',
        HOST: '127.0.0.1',
        HUB_JWT_SECRET: jwtSecret,
        HUB_SUBGRAPH_SECRET: subgraphSecret,
        ...Object.fromEntries(SUBGRAPHS.map((name) => [`SUBGRAPH_URL_${name.toUpperCase()}`, subgraphUrls[name]])),
      },
    });
    started.push(gateway);

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
    return {
      gatewayUrl: gateway.url,
      simulatorUrls,
      subgraphUrls,
      gateway,
      jwtSecret,
      token,
      query: async <T>(query: string, variables?: Record<string, unknown>, bearer?: string) => {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer ?? defaultToken}` },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, body: (await response.json()) as GraphQLBody<T> }; // GraphQL over HTTP answers this shape
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
