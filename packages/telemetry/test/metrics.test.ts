import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { BoundedLabel, metricsExposition, observeBackendCall, observeOperation, OTHER_LABEL_VALUE, parseExposition, watchCircuit } from '../src';

const run = promisify(execFile);

describe('metrics', () => {
  it('keeps client-chosen label values bounded: later names count as "other"', () => {
    const label = new BoundedLabel(2);
    expect([label.value('A'), label.value('B'), label.value('C'), label.value('A'), label.value(null)]).toEqual(['A', 'B', OTHER_LABEL_VALUE, 'A', 'none']);
  });

  it('exposes what was observed in Prometheus text, which the console reads back', async () => {
    observeOperation('Orders "first"', 'portal', 'ok', 0.02);
    observeBackendCall('erp', 'GET', 'timeout', 2);
    let state: 'closed' | 'open' = 'closed';
    watchCircuit({ backend: 'erp', state: () => ({ state }) });
    state = 'open';
    const samples = parseExposition((await metricsExposition()).body);
    const one = (name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
    expect(one('crossdock_graphql_operation_duration_seconds_count', { operation: 'Orders "first"', client_class: 'portal', outcome: 'ok' })).toEqual([1]);
    expect(one('crossdock_graphql_operation_duration_seconds_bucket', { operation: 'Orders "first"', le: '0.025' })).toEqual([1]);
    expect(one('crossdock_backend_call_errors_total', { backend: 'erp', kind: 'timeout' })).toEqual([1]);
    // Read at scrape time: the state the circuit is in now.
    expect(one('crossdock_circuit_state', { backend: 'erp' })).toEqual([2]);
    expect(one('crossdock_process_info', {})).toEqual([1]);
  });

  it('tells the live heap after each full GC: it rises by what is held, and falls back once it is let go', async () => {
    // In a process of its own: a test worker's heap also sheds what earlier test files left (their
    // modules, flushed bytecode) from one full GC to the next, tens of MiB that would hide the 50.
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'live-heap-probe.ts')], { cwd: __dirname, timeout: 60_000 });
    const { before, holding, after, fullGcs } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>; // live-heap-probe's one line
    expect(fullGcs).toBeGreaterThanOrEqual(3);
    expect((holding ?? 0) - (before ?? 0)).toBeGreaterThan(40 * 1024 * 1024);
    expect((holding ?? 0) - (after ?? 0)).toBeGreaterThan(40 * 1024 * 1024);
  });
});
