import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@crossdock/testkit';
import { CROSSDOCK_GATEWAY_ENTRY } from './crossdock-gateway';

/** Every request planned and executed, or identical in-flight requests answered once. */
export type Mode = 'every request executed' | 'identical in-flight requests coalesced';
export const EXECUTED: Mode = 'every request executed';
export const COALESCED: Mode = 'identical in-flight requests coalesced';

/** One gateway configuration of the comparison, as one process. */
export interface Contender {
  subject: string;
  mode: Mode;
  /** Crossdock's rows, whose req/s the targets compare with the peers'. */
  crossdock: boolean;
  /** The `service` name its process reports with its port. */
  service: string;
  entry: string;
  env: Record<string, string>;
}

/**
 * The five rows: stock @apollo/gateway, Hive Gateway and Crossdock with every request executed,
 * then Hive Gateway with `inboundInflightRequestDeduplication` and Crossdock with coalescing.
 * `crossdockEnv` is the gateway's production environment (secrets, Redis, limits file).
 */
export function federationContenders(supergraphPath: string, crossdockEnv: Record<string, string>): Contender[] {
  const peerEnv = { PORT: '0', SUPERGRAPH_PATH: supergraphPath, NODE_ENV: 'production' };
  const crossdock = { ...crossdockEnv, NODE_ENV: 'production' };
  const apollo = `apollo-gateway ${version('@apollo/gateway')}`;
  const hive = `hive-gateway ${version('@graphql-hive/gateway')}`;
  return [
    { subject: apollo, mode: EXECUTED, crossdock: false, service: 'apollo-gateway', entry: 'bench/src/federation/apollo-gateway-peer.ts', env: peerEnv },
    {
      subject: hive,
      mode: EXECUTED,
      crossdock: false,
      service: 'hive-gateway',
      entry: 'bench/src/federation/hive-gateway-peer.ts',
      env: { ...peerEnv, HIVE_INBOUND_DEDUPLICATION: 'off' },
    },
    { subject: 'crossdock', mode: EXECUTED, crossdock: true, service: 'gateway', entry: CROSSDOCK_GATEWAY_ENTRY, env: { ...crossdock, GATEWAY_COALESCING: 'off' } },
    {
      subject: `${hive}, inboundInflightRequestDeduplication`,
      mode: COALESCED,
      crossdock: false,
      service: 'hive-gateway',
      entry: 'bench/src/federation/hive-gateway-peer.ts',
      env: { ...peerEnv, HIVE_INBOUND_DEDUPLICATION: 'on' },
    },
    { subject: 'crossdock, coalescing', mode: COALESCED, crossdock: true, service: 'gateway', entry: CROSSDOCK_GATEWAY_ENTRY, env: { ...crossdock, GATEWAY_COALESCING: 'on' } },
  ];
}

function version(packageName: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(repoRoot(), 'node_modules', packageName, 'package.json'), 'utf8'));
  const found = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>).version : undefined;
  return typeof found === 'string' ? found : 'unknown';
}
