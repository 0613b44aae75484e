import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { writeBenchLimits } from '../governance/governed-gateways';
import { startTrackedProcess, stopAllProcesses } from '../service-processes';
import { startBenchmarkSubgraphs } from './benchmark-subgraphs';
import { CROSSDOCK_GATEWAY_ENTRY, prepareCrossdockLaunch } from './crossdock-gateway';

/** The gateways the federation tools can start on their own (profile-cli, memory-cli), by name. */
export const GATEWAY_ENTRIES: Readonly<Record<string, { entry: string; service: string }>> = {
  crossdock: { entry: CROSSDOCK_GATEWAY_ENTRY, service: 'gateway' },
  'apollo-gateway': { entry: 'bench/src/federation/apollo-gateway-peer.ts', service: 'apollo-gateway' },
  'hive-gateway': { entry: 'bench/src/federation/hive-gateway-peer.ts', service: 'hive-gateway' },
};

/** One gateway of the federation suite running alone on the benchmark's subgraphs. */
export interface LoneGateway {
  gateway: ServiceProcess;
  /** The `authorization` header to send (only Crossdock checks it). */
  authorization: string;
  /** Stops the gateway (if still running), the subgraphs and Redis, and removes the work files. */
  stop(): Promise<void>;
}

/**
 * Starts the benchmark subgraphs, a Redis and the gateway `name` (one of GATEWAY_ENTRIES) as the
 * suite does: Crossdock in production mode with the bench limits, peers on the same supergraph.
 * `env` and `nodeArgs` go to the gateway's process.
 */
export async function startLoneGateway(name: string, options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<LoneGateway> {
  const chosen = GATEWAY_ENTRIES[name];
  if (!chosen) throw new Error(`--gateway must be one of ${Object.keys(GATEWAY_ENTRIES).join(', ')}`);
  const workDir = mkdtempSync(join(tmpdir(), 'crossdock-lone-gateway-'));
  let redis: BackingService | undefined;
  let subgraphs: ServiceProcess | undefined;
  const stop = async () => {
    await subgraphs?.stop();
    await redis?.stop();
    await stopAllProcesses();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const started = await startBenchmarkSubgraphs(workDir);
    subgraphs = started.process;
    redis = await startRedis();
    const crossdock = await prepareCrossdockLaunch(started.supergraphPath, redis.url);
    const env =
      name === 'crossdock'
        ? { ...crossdock.env, GATEWAY_LIMITS_PATH: writeBenchLimits(workDir), NODE_ENV: 'production', ...options.env }
        : { PORT: '0', SUPERGRAPH_PATH: started.supergraphPath, NODE_ENV: 'production', ...options.env };
    const gateway = await startTrackedProcess({ name: chosen.service, entry: chosen.entry, env, nodeArgs: options.nodeArgs ?? [], startTimeoutMs: 90_000 });
    return { gateway, authorization: crossdock.authorization, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
