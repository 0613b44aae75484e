import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const LOGGER = join(__dirname, '..', 'src', 'logger.ts');

/** Runs `script` in a child process with createLogger in scope; resolves with its stderr lines as they came, and when. */
function runChild(script: string, env: Record<string, string> = {}): Promise<{ lines: { at: number; text: string }[]; code: number | null; endedAt: number }> {
  const program = `const { createLogger } = require(${JSON.stringify(LOGGER)});\n${script}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', program], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const started = Date.now();
  const lines: { at: number; text: string }[] = [];
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ lines, code, endedAt: Date.now() - started })));
}

describe('createLogger', () => {
  it('writes a lone line within the flush period, long before the process ends', async () => {
    const run = await runChild(`const log = createLogger('t'); log.info({ n: 1 }, 'first'); setTimeout(() => undefined, 2500);`);
    const first = run.lines.find((line) => line.text.includes('"msg":"first"'));
    expect(first).toBeDefined();
    expect(run.endedAt - first!.at).toBeGreaterThan(1000);
  }, 20_000);

  it('writes nothing while nothing is logged', async () => {
    // Counts the asynchronous writes to stderr (the batched destination's); the count itself goes out synchronously at exit.
    const run = await runChild(
      `const fs = require('node:fs'); const write = fs.write; let writes = 0;
       fs.write = function (fd, ...rest) { if (fd === 2) writes += 1; return write.call(this, fd, ...rest); };
       process.on('exit', () => fs.writeSync(2, 'WRITES ' + writes + '\\n'));
       const log = createLogger('t'); log.info('only line'); setTimeout(() => undefined, 1500);`,
    );
    expect(run.lines.some((line) => line.text.includes('"msg":"only line"'))).toBe(true);
    expect(run.lines.filter((line) => line.text.startsWith('WRITES ')).map((line) => line.text)).toEqual(['WRITES 1']);
  }, 20_000);

  it('keeps every line logged just before process.exit, and before an uncaught exception', async () => {
    const exited = await runChild(`const log = createLogger('t'); for (let i = 0; i < 100; i++) log.info({ i }, 'line'); process.exit(3);`);
    expect(exited.code).toBe(3);
    expect(exited.lines.filter((line) => line.text.includes('"msg":"line"')).map((line) => (JSON.parse(line.text) as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));

    const thrown = await runChild(`const log = createLogger('t'); log.error({ orderId: 'ORD-1' }, 'about to fail'); setImmediate(() => { throw new Error('boom'); });`);
    expect(thrown.code).not.toBe(0);
    expect(thrown.lines.some((line) => line.text.includes('"msg":"about to fail"'))).toBe(true);
  }, 20_000);

  it('writes each line at once with LOG_SYNC=true, even while the process is too busy to flush', async () => {
    // The busy loop starves the periodic flush: a batched line would only come out at exit.
    const run = await runChild(`const log = createLogger('t'); log.info('one'); const until = Date.now() + 1500; while (Date.now() < until) {}`, { LOG_SYNC: 'true' });
    const one = run.lines.find((line) => line.text.includes('"msg":"one"'));
    expect(one).toBeDefined();
    expect(run.endedAt - one!.at).toBeGreaterThan(1000);
  }, 20_000);
});
