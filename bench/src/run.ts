/**
 * `npm run bench [-- --suite <name>] [--duration <s>] [--warmup <s>] [--connections <n>] [--no-write]`
 *
 * Runs the registered suites one after another, prints each as a markdown table and writes it
 * into docs/benchmarks.md (its own section only). Exits non-zero when a row failed; a failed
 * run does not overwrite the last good section.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@crossdock/testkit';
import { machineFacts } from './machine';
import { renderNotes, renderSection, renderTable, writeSection } from './report';
import { killAllProcessesNow, stopAllProcesses } from './service-processes';
import { suites, type Suite, type SuiteOptions } from './suites';

interface CommandLine {
  suites: Suite[];
  options: SuiteOptions;
  write: boolean;
}

function readCommandLine(args: string[]): CommandLine {
  const { values } = parseArgs({
    args,
    options: {
      suite: { type: 'string', multiple: true },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '50' },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const names = values.suite ?? suites.map((suite) => suite.name);
  const chosen = names.map((name) => {
    const suite = suites.find((candidate) => candidate.name === name);
    if (!suite) throw new Error(`unknown suite "${name}"; known: ${suites.map((s) => s.name).join(', ')}`);
    return suite;
  });
  return {
    suites: chosen,
    options: {
      durationSeconds: positiveInteger('--duration', values.duration, 3600),
      warmupSeconds: positiveInteger('--warmup', values.warmup, 600, true),
      connections: positiveInteger('--connections', values.connections, 10_000),
    },
    write: !values['no-write'],
  };
}

function positiveInteger(flag: string, text: string, max: number, zeroAllowed = false): number {
  const value = Number(text);
  const min = zeroAllowed ? 0 : 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const commandLine = readCommandLine(args);
  const command = ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  const docPath = join(repoRoot(), 'docs', 'benchmarks.md');
  let failed = false;
  for (const suite of commandLine.suites) {
    console.log(`\n# suite ${suite.name}\n`);
    const result = await suite.run(commandLine.options);
    const suiteFailed = result.measurements.some((measurement) => measurement.outcome.kind === 'failed');
    console.log(`\n${renderTable(result)}\n`);
    for (const line of renderNotes(result)) console.log(`- ${line}`);
    if (suiteFailed) {
      failed = true;
      console.error(`\nsuite ${suite.name} had failed rows; ${docPath} left as it was`);
    } else if (commandLine.write) {
      writeSection(docPath, result.suite, renderSection(result, { date: new Date(), machine: machineFacts(), command, options: commandLine.options }));
      console.log(`\nwrote the ${result.suite} section of ${docPath}`);
    }
  }
  return failed ? 1 : 0;
}

// Children are stopped however the run ends: normally, on an error, on Ctrl-C or SIGTERM.
process.on('exit', killAllProcessesNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping benchmark processes`);
    void stopAllProcesses().finally(() => process.exit(130));
  });
}

main()
  .then((code) => stopAllProcesses().then(() => process.exit(code)))
  .catch((error: unknown) => {
    console.error(error);
    void stopAllProcesses().finally(() => process.exit(1));
  });
