import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { ConfigError } from '@crossdock/service';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import gql from 'graphql-tag';
import { readGatewayConfig } from '../src/config';
import { startTestGateway, TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET, writeSupergraph } from './support/test-gateway';

const env = { HUB_JWT_SECRET: TEST_JWT_SECRET, HUB_SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, REDIS_URL: 'redis://127.0.0.1:6379' };

/** A one-field graph; the subgraph is never asked, the test only starts and stops the gateway. */
const supergraph = () =>
  writeSupergraph([
    {
      name: 'only',
      url: 'http://127.0.0.1:9/graphql',
      typeDefs: gql`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
        type Query { hello: String }
      `,
    },
  ]);

/** A request that never leaves: it fails with ECONNREFUSED right after it is sent, as on a machine without that network. */
class RefusedRequest extends EventEmitter {
  private failed = false;
  constructor(private readonly host: string) {
    super();
  }
  setTimeout(): this {
    return this;
  }
  setHeader(): void {}
  write(): boolean {
    return true;
  }
  end(): this {
    this.fail();
    return this;
  }
  destroy(): this {
    this.fail();
    return this;
  }
  abort(): void {
    this.fail();
  }
  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    setImmediate(() => this.emit('error', Object.assign(new Error(`connect ECONNREFUSED ${this.host} (test)`), { code: 'ECONNREFUSED' })));
  }
}

/**
 * Every outgoing HTTP(S) request the process starts, by host; none goes out (each is refused at
 * once), so a gateway that tries to report cannot wait on a network this machine may not have.
 */
function recordOutgoingRequests(): string[] {
  const hosts: string[] = [];
  const refuse = (input: unknown, options?: unknown): RefusedRequest => {
    const target = typeof input === 'string' || input instanceof URL ? new URL(input) : null;
    const given = (typeof options === 'object' && options !== null ? options : input) as { hostname?: string; host?: string } | null;
    const host = target?.hostname ?? given?.hostname ?? given?.host ?? '?';
    hosts.push(host);
    return new RefusedRequest(host);
  };
  for (const module of [http, https]) {
    jest.spyOn(module, 'request').mockImplementation(refuse as unknown as typeof http.request);
    jest.spyOn(module, 'get').mockImplementation(((...args: unknown[]) => refuse(args[0], args[1]).end()) as unknown as typeof http.get);
  }
  return hosts;
}

describe("@apollo/gateway's usage reporting to Apollo", () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('is off unless APOLLO_TELEMETRY_DISABLED=false, and a bad value is refused', () => {
    expect(readGatewayConfig(env).apolloUsageReporting).toBe(false);
    expect(readGatewayConfig({ ...env, APOLLO_TELEMETRY_DISABLED: 'true' }).apolloUsageReporting).toBe(false);
    expect(readGatewayConfig({ ...env, APOLLO_TELEMETRY_DISABLED: 'false' }).apolloUsageReporting).toBe(true);
    expect(() => readGatewayConfig({ ...env, APOLLO_TELEMETRY_DISABLED: 'nope' })).toThrow(ConfigError);
  });

  it('makes no outgoing request when the gateway starts and stops', async () => {
    // Whatever the environment said before (test/support/jest-setup.ts says "true"), the gateway decides.
    process.env.APOLLO_TELEMETRY_DISABLED = 'false';
    const hosts = recordOutgoingRequests();
    const gateway = await startTestGateway(supergraph());
    await gateway.close();
    expect(hosts).toEqual([]);
  });

  it('probes cloud metadata addresses when reporting is allowed (what the default spares)', async () => {
    const hosts = recordOutgoingRequests();
    const gateway = await startTestGateway(supergraph(), { apolloUsageReporting: true });
    await gateway.close();
    expect(hosts).toContain('169.254.169.254');
  });
});
