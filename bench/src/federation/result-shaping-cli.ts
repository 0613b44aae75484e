/**
 * `npx tsx bench/src/federation/result-shaping-cli.ts [--seconds 2] [--rounds 6]`
 *
 * Result shaping alone, in this process: @apollo/gateway's `computeResponse` against Crossdock's
 * (gateway/src/result-shaping.ts) on the federation benchmark's `TestQuery` over its whole answer
 * (the data the benchmark checks every gateway's answer against, as the merged fetches leave it
 * but for `__typename`). Both run in alternating windows of the same length, each round starting
 * with the other, and each answer is first checked to be the same. Prints calls per second and
 * microseconds per call of each, per round and in all.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { operationFromDocument, Supergraph, type FieldSelection } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { supergraphForExecution } from '@crossdock/gateway/src/authorization';
import { apolloComputeResponse, computeResponse, type ShapingInput, type ShapingResult } from '@crossdock/gateway/src/result-shaping';
import { committedSupergraphPath } from './supergraph';
import { expectedTestQueryAnswer, testQuery } from './test-query';

type Shaping = (input: ShapingInput) => ShapingResult;

function main(): void {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, rounds: { type: 'string', default: '6' } } });
  const windowMs = Number(values.seconds) * 1000;
  const rounds = Number(values.rounds);
  const schema = Supergraph.build(supergraphForExecution(readFileSync(committedSupergraphPath(), 'utf8'))).apiSchema();
  const operation = operationFromDocument(schema, parse(testQuery), { validate: false });
  const answer = expectedTestQueryAnswer() as { data: Record<string, unknown> };
  const input: ShapingInput = {
    operation,
    variables: {},
    input: answer.data,
    introspectionHandling: (selection: FieldSelection) => {
      throw new Error(`TestQuery has no introspection field, got ${selection.toString()}`);
    },
  };
  const subjects: [string, Shaping][] = [
    ['@apollo/gateway computeResponse', apolloComputeResponse()],
    ['crossdock computeResponse', computeResponse],
  ];
  const expected = JSON.stringify(subjects[0]![1](input));
  for (const [name, shape] of subjects) {
    const got = JSON.stringify(shape(input));
    if (got !== expected) throw new Error(`${name} shapes TestQuery's answer differently`);
  }
  console.log(`TestQuery answer: ${JSON.stringify(answer.data).length} bytes of JSON; ${rounds} rounds of ${values.seconds} s windows per shaping`);
  const totals = new Map(subjects.map(([name]) => [name, { calls: 0, ms: 0 }]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    const line: string[] = [];
    for (const [name, shape] of order) {
      const { calls, ms } = window(shape, input, windowMs);
      const total = totals.get(name)!;
      total.calls += calls;
      total.ms += ms;
      line.push(`${name} ${((calls / ms) * 1000).toFixed(0)}/s`);
    }
    console.log(`round ${round + 1}: ${line.join(', ')}`);
  }
  const perCall = (name: string) => (totals.get(name)!.ms * 1000) / totals.get(name)!.calls;
  for (const [name] of subjects) console.log(`${name}: ${perCall(name).toFixed(1)} µs per call`);
  console.log(`crossdock ÷ apollo time per call: ${(perCall(subjects[1]![0]) / perCall(subjects[0]![0])).toFixed(2)}`);
}

/** Calls `shape` for `windowMs`, checking the clock every 16 calls. */
function window(shape: Shaping, input: ShapingInput, windowMs: number): { calls: number; ms: number } {
  const start = performance.now();
  let calls = 0;
  let now = start;
  while (now - start < windowMs) {
    for (let i = 0; i < 16; i++) shape(input);
    calls += 16;
    now = performance.now();
  }
  return { calls, ms: now - start };
}

main();
