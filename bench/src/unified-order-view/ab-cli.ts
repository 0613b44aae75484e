/**
 * `npx tsx bench/src/unified-order-view/ab-cli.ts --a-env NAME=value … --b-env NAME=value …
 *   [--rounds 6] [--seconds 10] [--latency 50] [--connections 10] [--warmup 5]`
 *
 * Two whole hubs side by side (simulators, 4 subgraphs, gateway each; every request executed),
 * differing only in the gateway environment given for A and for B, loaded with the
 * UNIFIED_ORDER_VIEW query in turn: rounds of one window each, each round starting with the other
 * hub. Prints each window, then per hub the CPU time per view of the gateway and of each subgraph
 * over all its windows, and its windows' p50s. For a change whose effect is smaller than the
 * machine's drift between two suite runs: both variants share the machine's good and bad moments.
 */
import { parseArgs } from 'node:util';
import { startHubStack, SUBGRAPHS, UNIFIED_ORDER_VIEW, type HubStack } from '@crossdock/testkit';
import { envOptions } from '../env-options';
import { EVERY_REQUEST_EXECUTED } from '../governance/governed-gateways';
import { runLoad, sampleProcesses, type LoadOptions } from '../load';

interface Variant {
  name: string;
  env: Record<string, string>;
  hub?: HubStack;
  load?: Omit<LoadOptions, 'durationSeconds'>;
  requests: number;
  cpuMs: Record<string, number>;
  p50s: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'a-env': { type: 'string', multiple: true },
      'b-env': { type: 'string', multiple: true },
      rounds: { type: 'string', default: '6' },
      seconds: { type: 'string', default: '10' },
      latency: { type: 'string', default: '50' },
      connections: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '5' },
    },
  });
  const seconds = Number(values.seconds);
  const variants: Variant[] = [
    { name: 'A', env: envOptions(values['a-env']), requests: 0, cpuMs: {}, p50s: [] },
    { name: 'B', env: envOptions(values['b-env']), requests: 0, cpuMs: {}, p50s: [] },
  ];
  try {
    for (const variant of variants) {
      const hub = await startHubStack({
        simulatorLatencyMs: Number(values.latency),
        env: { NODE_ENV: 'production' },
        serviceEnv: { gateway: { ...EVERY_REQUEST_EXECUTED, ...variant.env } },
      });
      variant.hub = hub;
      variant.load = {
        url: `${hub.gatewayUrl}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token()}` },
        body: JSON.stringify({ query: UNIFIED_ORDER_VIEW, variables: { first: 20 } }),
        connections: Number(values.connections),
        acceptBody: (answer) => !answer.includes('"errors"'),
      };
      await runLoad({ ...variant.load, durationSeconds: Number(values.warmup) });
    }
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const hub = variant.hub!; // started above
        const sampler = sampleProcesses({ gateway: hub.gateway.pid, ...Object.fromEntries(SUBGRAPHS.map((name) => [name, hub.subgraph(name).pid])) });
        const result = await runLoad({ ...variant.load!, durationSeconds: seconds });
        const usage = sampler.stop();
        // Requests cut off by the window's end finish before the other hub's window starts.
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (result.non2xx + result.errors + result.mismatches > 0) {
          throw new Error(`hub ${variant.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.mismatches} answers with errors`);
        }
        variant.requests += result.totalRequests;
        variant.p50s.push(result.latencyP50Ms);
        let windowMs = 0;
        for (const [name, { cpuPercent }] of Object.entries(usage)) {
          const ms = cpuPercent * 10 * seconds;
          variant.cpuMs[name] = (variant.cpuMs[name] ?? 0) + ms;
          windowMs += ms;
        }
        console.log(
          `round ${round + 1} ${variant.name}: ${(result.totalRequests / seconds).toFixed(1)} views/s, p50 ${result.latencyP50Ms} ms, ` +
            `CPU per view ${(windowMs / result.totalRequests).toFixed(2)} ms (gateway ${((usage.gateway!.cpuPercent * 10 * seconds) / result.totalRequests).toFixed(2)})`,
        );
      }
    }
    for (const variant of variants) {
      const total = Object.values(variant.cpuMs).reduce((sum, ms) => sum + ms, 0) / variant.requests;
      const parts = Object.entries(variant.cpuMs).map(([name, ms]) => `${name} ${(ms / variant.requests).toFixed(2)}`);
      console.log(`${variant.name} ${JSON.stringify(variant.env)}: ${total.toFixed(2)} ms of CPU per view (${parts.join(', ')}); p50s ${variant.p50s.join(', ')} ms`);
    }
  } finally {
    for (const variant of variants) await variant.hub?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
