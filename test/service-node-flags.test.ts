import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { SUBGRAPH_NODE_ARGS, SUBGRAPHS } from '@crossdock/testkit';

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

/**
 * The benchmarks and integration tests start subgraphs through the testkit with
 * SUBGRAPH_NODE_ARGS; production starts them with `npm run start:<name>`. If the two drifted
 * apart, the numbers in docs/benchmarks.md would describe processes nobody runs.
 */
describe('subgraph node flags', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it.each(SUBGRAPHS)('npm run start:%s runs the subgraph with the flags the testkit starts it with', (name) => {
    expect(scripts[`start:${name}`]).toBe(['tsx', ...SUBGRAPH_NODE_ARGS, `subgraphs/${name}/src/index.ts`].join(' '));
  });

  it('tsx hands the flags to the node process that runs the service', async () => {
    const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [...SUBGRAPH_NODE_ARGS, '-e', 'console.log(JSON.stringify(process.execArgv))'], { cwd: ROOT });
    const execArgv = JSON.parse(stdout.trim()) as string[];
    for (const flag of SUBGRAPH_NODE_ARGS) expect(execArgv).toContain(flag);
  });
});
