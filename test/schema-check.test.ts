import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { composeSupergraph } from '../scripts/compose';
import { runSchemaCheck, type SchemaCheckResult } from '../scripts/schema-check';

const ROOT = resolve(__dirname, '..');
const CONTRACT = resolve(ROOT, '..', 'shared', 'CONTRACT.md');
const CONTRACT_COPY = join(ROOT, 'docs', 'contract-schema.graphql');
const WMS_SDL = 'subgraphs/wms/src/schema.graphql';
const run = promisify(execFile);

const schemaCheckCli = (args: string[]) =>
  run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'schema-check.ts'), ...args], { cwd: ROOT });

/**
 * A throwaway copy of supergraph.yaml and the subgraph SDL files it names, so a test can change
 * a schema without touching the real ones. Its supergraph.graphql plays the committed baseline.
 */
class SchemaWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'crossdock-schema-check-'));
  readonly config = join(this.dir, 'supergraph.yaml');
  readonly supergraph = join(this.dir, 'supergraph.graphql');

  constructor() {
    cpSync(join(ROOT, 'supergraph.yaml'), this.config);
    const config = parseYaml(readFileSync(this.config, 'utf8')) as { subgraphs: Record<string, { schema: { file: string } }> };
    for (const { schema } of Object.values(config.subgraphs)) {
      mkdirSync(dirname(join(this.dir, schema.file)), { recursive: true });
      cpSync(join(ROOT, schema.file), join(this.dir, schema.file));
    }
    this.commit();
  }

  /** Replaces `from` by `to` in one SDL file; the text must be there, or the test proves nothing. */
  edit(file: string, from: string, to: string): void {
    const path = join(this.dir, file);
    const sdl = readFileSync(path, 'utf8');
    expect(sdl).toContain(from);
    writeFileSync(path, sdl.replace(from, to));
  }

  /** Composes the SDL files as they are now into the baseline, as `npm run compose` and a commit would. */
  commit(): void {
    writeFileSync(this.supergraph, composeSupergraph(this.config));
  }

  check(contractPath = CONTRACT): SchemaCheckResult {
    return runSchemaCheck({
      configPath: this.config,
      baseline: { sdl: readFileSync(this.supergraph, 'utf8'), source: this.supergraph },
      contractPath,
      contractCopyPath: CONTRACT_COPY,
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('npm run schema:check', () => {
  let workspace: SchemaWorkspace | undefined;
  const open = () => (workspace = new SchemaWorkspace());
  afterEach(() => workspace?.remove());

  it('passes on the repository as it is, against the committed supergraph and CONTRACT.md', async () => {
    expect(existsSync(CONTRACT)).toBe(true);
    const { stdout } = await schemaCheckCli([]);
    expect(stdout).toContain(`contract schema from ${CONTRACT}: no violations`);
    expect(stdout).toMatch(/schema check passed$/m);
  });

  it('fails with a readable report when a contract field is removed', async () => {
    const ws = open();
    ws.edit(WMS_SDL, '  region: String!\n', '');
    const failure = await schemaCheckCli(['--config', ws.config, '--against', ws.supergraph]).then(
      () => new Error('schema:check passed'),
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    const { stdout } = failure as { stdout: string };
    expect(stdout).toContain('BREAKING   field Warehouse.region was removed');
    expect(stdout).toContain('VIOLATION  field Warehouse.region: String! is missing (renamed or removed)');
    expect(stdout).toMatch(/schema check FAILED: 1 breaking change\(s\) not deprecated first, 1 contract violation\(s\)$/m);
  });

  it('passes when an optional field is added, and lists it as safe', () => {
    const ws = open();
    ws.edit(WMS_SDL, '  safetyStock: Int!\n', '  safetyStock: Int!\n  binLocation: String\n');
    const result = ws.check();
    expect(result.ok).toBe(true);
    expect(result.changes).toEqual([
      { severity: 'safe', coordinate: 'InventoryPosition.binLocation', message: 'field InventoryPosition.binLocation was added', deprecatedFirst: false },
    ]);
  });

  it('fails when a field outside the contract is removed without a deprecation first', () => {
    const ws = open();
    ws.edit(WMS_SDL, '  safetyStock: Int!\n', '');
    const result = ws.check();
    expect(result.ok).toBe(false);
    expect(result.blocking.map((c) => c.coordinate)).toEqual(['InventoryPosition.safetyStock']);
    expect(result.violations).toEqual([]);
  });

  it('passes when the removed field was deprecated in the committed schema', () => {
    const ws = open();
    ws.edit(WMS_SDL, '  safetyStock: Int!\n', '  safetyStock: Int! @deprecated(reason: "read available")\n');
    expect(ws.check().changes.map((c) => [c.severity, c.message])).toEqual([
      ['safe', 'InventoryPosition.safetyStock was deprecated: read available'],
    ]);
    ws.commit();
    ws.edit(WMS_SDL, '  safetyStock: Int! @deprecated(reason: "read available")\n', '');
    const result = ws.check();
    expect(result.ok).toBe(true);
    expect(result.changes).toEqual([
      { severity: 'breaking', coordinate: 'InventoryPosition.safetyStock', message: 'field InventoryPosition.safetyStock was removed', deprecatedFirst: true },
    ]);
  });

  it('finds a renamed contract type', () => {
    const ws = open();
    ws.edit(WMS_SDL, 'type AtpSource {', 'type AtpOrigin {');
    ws.edit(WMS_SDL, 'sources: [AtpSource!]!', 'sources: [AtpOrigin!]!');
    const result = ws.check();
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual(expect.arrayContaining([
      { coordinate: 'AtpSource', kind: 'missing', message: 'type AtpSource is missing (renamed or removed)' },
      { coordinate: 'AtpResult.sources', kind: 'changed', message: 'AtpResult.sources has type [AtpOrigin!]!, the contract says [AtpSource!]!' },
    ]));
  });

  it('lists a contract name the baseline never had as not built yet, without failing', () => {
    const ws = open();
    ws.edit(WMS_SDL, '  region: String!\n', '');
    ws.commit();
    const result = ws.check();
    expect(result.ok).toBe(true);
    expect(result.notBuilt).toContainEqual({
      coordinate: 'Warehouse.region',
      kind: 'missing',
      message: 'field Warehouse.region: String! is missing (renamed or removed)',
    });
  });

  it('checks against the committed copy of the contract schema when CONTRACT.md is absent', () => {
    const ws = open();
    ws.edit(WMS_SDL, 'availableToPromise(sku: ID!, quantity: Int!)', 'availableToPromise(sku: ID!, quantity: Int!, channel: String!)');
    const result = ws.check(join(ws.dir, 'no-such-CONTRACT.md'));
    expect(result.contractSource).toContain(`${CONTRACT_COPY} (committed copy;`);
    expect(result.violations).toEqual([{
      coordinate: 'Query.availableToPromise(channel:)',
      kind: 'changed',
      message: 'Query.availableToPromise(channel:): String! is new and required',
    }]);
  });

  it('keeps the committed contract copy identical to CONTRACT.md', () => {
    const ws = open();
    const copy = join(ws.dir, 'contract-schema.graphql');
    writeFileSync(copy, '# stale\n');
    const result = runSchemaCheck({
      configPath: ws.config,
      baseline: { sdl: readFileSync(ws.supergraph, 'utf8'), source: ws.supergraph },
      contractPath: CONTRACT,
      contractCopyPath: copy,
    });
    expect(result.violations.map((v) => v.coordinate)).toEqual([copy]);
  });
});
