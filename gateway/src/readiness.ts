import { request } from 'undici';

export interface SubgraphEndpoint {
  name: string;
  /** The subgraph's GraphQL URL. */
  url: string;
}

/** How long /ready waits for one subgraph's /health before calling it down. */
const HEALTH_TIMEOUT_MS = 1_000;

/** Asks every subgraph's /health (next to its /graphql) in parallel: "up" or why not. */
export async function checkSubgraphs(subgraphs: readonly SubgraphEndpoint[]): Promise<Record<string, string>> {
  const results = await Promise.all(
    subgraphs.map(async ({ name, url }) => {
      const healthUrl = new URL(url);
      healthUrl.pathname = healthUrl.pathname.replace(/\/graphql\/?$/, '') + '/health';
      try {
        const response = await request(healthUrl, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        await response.body.dump();
        return [name, response.statusCode === 200 ? 'up' : `down (HTTP ${response.statusCode})`] as const;
      } catch (error) {
        return [name, `down (${error instanceof Error ? error.message : 'unreachable'})`] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}
