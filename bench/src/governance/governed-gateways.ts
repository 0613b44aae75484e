import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceProcess } from '@crossdock/testkit';
import { CROSSDOCK_GATEWAY_ENTRY } from '../federation/crossdock-gateway';
import { startTrackedProcess } from '../service-processes';

/** The gateway's benchmark-only switch (gateway/src/governance/governance-switch.ts). */
const BENCH_GOVERNANCE_VAR = 'CROSSDOCK_BENCH_GOVERNANCE';

/**
 * Not 'production', which refuses the switch; the same for both gateways, so that nothing that
 * reads NODE_ENV (graphql-js, Apollo Server) differs between them but governance.
 */
const BENCH_NODE_ENV = 'benchmark';

/**
 * The internal class's rate limit while measuring: far above any rate this machine reaches, so no
 * request is refused, while every request still takes its token from the Redis bucket.
 */
export const UNREACHABLE_RATE_LIMIT = { requests: 10_000_000, windowSeconds: 60 } as const;

/**
 * The internal class's cost limit while measuring: the federation TestQuery's static cost is
 * 23,315 with the default assumed list size of 10, above the built-in 20,000, so the built-in
 * limit would refuse it. Raised, the cost is still computed and compared for every request.
 */
export const BENCH_MAX_COST = 1_000_000;

/**
 * Both gateways execute every request in full. With coalescing (the default) the load's identical
 * concurrent requests would share one execution (about 98 % of them in a trial here), and the
 * limits and the scope check, which run inside that execution, would run once per group: the
 * suite would mostly measure token checks and rate limits against shared answers.
 */
export const EVERY_REQUEST_EXECUTED = { GATEWAY_COALESCING: 'off', GATEWAY_SUBGRAPH_DEDUPLICATION: 'off' } as const;

/** The two builds-in-one compared: the same gateway code, governance on and off. */
export interface GatewayPair {
  on: ServiceProcess;
  off: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Writes the limits file for the governed gateway into `workDir`: the built-in limits for every
 * class, but the internal class (the benchmark token's) with {@link UNREACHABLE_RATE_LIMIT} and
 * {@link BENCH_MAX_COST}.
 */
export function writeBenchLimits(workDir: string): string {
  const path = join(workDir, 'gateway-limits.json');
  const internal = { rateLimit: UNREACHABLE_RATE_LIMIT, maxCost: BENCH_MAX_COST };
  writeFileSync(path, JSON.stringify({ classes: { internal } }, null, 2));
  return path;
}

/**
 * V8's sampling interval for the gateways' CPU profiles, in µs: coarser than the default 1 ms so
 * that profiling costs next to nothing, and both gateways pay it alike.
 */
const PROFILE_INTERVAL_US = 2_000;

/** Where each gateway of a pair writes its CPU profile when it exits. */
export function profileDirs(dir: string): Record<'on' | 'off', string> {
  return { on: join(dir, 'governance-on'), off: join(dir, 'governance-off') };
}

/**
 * Starts two gateway processes from the same entry and environment (`env` carries the supergraph
 * or subgraph URLs, secrets and REDIS_URL), one governed with `limitsPath`, one with
 * CROSSDOCK_BENCH_GOVERNANCE=off. Both stay up for the whole run; only one gets load at a time.
 * Each writes a CPU profile into its {@link profileDirs} of `profileDir` when stopped.
 */
export async function startGatewayPair(env: Record<string, string>, limitsPath: string, profileDir: string): Promise<GatewayPair> {
  const common = { ...env, ...EVERY_REQUEST_EXECUTED, PORT: '0', HOST: '127.0.0.1', NODE_ENV: BENCH_NODE_ENV, GATEWAY_LIMITS_PATH: limitsPath };
  const dirs = profileDirs(profileDir);
  const start = (governance: 'on' | 'off') =>
    startTrackedProcess({
      name: 'gateway',
      entry: CROSSDOCK_GATEWAY_ENTRY,
      env: { ...common, [BENCH_GOVERNANCE_VAR]: governance },
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dirs[governance]}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`],
      startTimeoutMs: 90_000,
    });
  const on = await start('on');
  let off: ServiceProcess;
  try {
    off = await start('off');
  } catch (error) {
    await on.stop();
    throw error;
  }
  return { on, off, stop: async () => void (await Promise.all([on.stop(), off.stop()])) };
}
