/**
 * `npm run schema:check`: composes supergraph.yaml and fails when the result would break a client.
 * (a) Its API schema (what clients see, without the join__ internals) is diffed against the
 * committed supergraph's: a breaking change fails unless the removed element was `@deprecated`
 * there first. (b) Every name of CONTRACT.md's schema block must still exist with the same type;
 * a contract name the baseline lacks as well is listed as not built yet (another issue's work)
 * without failing, since no client can depend on it.
 *
 * Options (paths relative to the working directory; defaults relative to the repo root):
 *   --config <file>          supergraph config to compose (default supergraph.yaml)
 *   --base <git rev>         baseline: supergraph.graphql as committed at that revision (default HEAD;
 *                            when that can't be read, the working-tree file, and the report says so)
 *   --against <file>         baseline: this supergraph file instead of git
 *   --contract <file>        CONTRACT.md (default ../shared/CONTRACT.md, the shared/ copy beside the clone)
 *   --contract-copy <file>   committed copy of its schema block, used when CONTRACT.md is absent
 *                            (default docs/contract-schema.graphql)
 *   --update-contract-copy   rewrite that copy from CONTRACT.md and exit
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { composeSupergraph } from './compose';
import { checkContract, extractGraphqlBlock, type ContractViolation } from './contract-check';
import { diffSchemas, type SchemaChange } from './schema-diff';

/** What to check, with every file named explicitly so tests can point at a temporary copy. */
export interface SchemaCheckOptions {
  /** The supergraph config (rover's format) to compose. */
  configPath: string;
  /** The committed supergraph SDL to compare with, and where it came from (for the report). */
  baseline: { sdl: string; source: string };
  /** CONTRACT.md; when the file is absent, `contractCopyPath` is used instead. */
  contractPath: string;
  /** The committed copy of CONTRACT.md's schema block (docs/contract-schema.graphql). */
  contractCopyPath: string;
}

/** The outcome of one check; `ok` is false on any blocking change or contract violation. */
export interface SchemaCheckResult {
  baselineSource: string;
  changes: SchemaChange[];
  /** Breaking changes that were not announced by a deprecation in the baseline. */
  blocking: SchemaChange[];
  /** The file the contract schema was read from. */
  contractSource: string;
  violations: ContractViolation[];
  /** Contract elements absent from the baseline as well: not built yet, reported without failing. */
  notBuilt: ContractViolation[];
  ok: boolean;
}

/** The client-facing schema of a supergraph: no join__/link__ internals, no @inaccessible elements. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // No feature check: @authenticated/@requiresScopes are `for: SECURITY` links that the gateway's
  // default feature list refuses (Crossdock enforces them itself); the API schema drops them anyway.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}

/** Composes, diffs and checks the contract; throws only when composition itself fails or a file is unreadable. */
export function runSchemaCheck(options: SchemaCheckOptions): SchemaCheckResult {
  const api = apiSchemaOf(composeSupergraph(options.configPath));
  const baselineApi = apiSchemaOf(options.baseline.sdl);
  const changes = diffSchemas(baselineApi, api);
  const blocking = changes.filter((c) => c.severity === 'breaking' && !c.deprecatedFirst);
  const contract = readContract(options.contractPath, options.contractCopyPath);
  // A contract element the baseline lacked too was never built, not removed: listed, not failed.
  const key = (v: ContractViolation) => `${v.coordinate}\n${v.message}`;
  const neverBuilt = new Set(checkContract(contract.sdl, baselineApi).filter((v) => v.kind === 'missing').map(key));
  const found = checkContract(contract.sdl, api);
  const notBuilt = found.filter((v) => v.kind === 'missing' && neverBuilt.has(key(v)));
  const violations = [...contract.problems, ...found.filter((v) => !notBuilt.includes(v))];
  return {
    baselineSource: options.baseline.source,
    changes,
    blocking,
    contractSource: contract.source,
    violations,
    notBuilt,
    ok: blocking.length === 0 && violations.length === 0,
  };
}

/**
 * CONTRACT.md's schema block, or the committed copy when CONTRACT.md is not beside the clone. A
 * copy that differs from a present CONTRACT.md is itself a violation: it would check the wrong
 * contract wherever CONTRACT.md is missing.
 */
function readContract(contractPath: string, copyPath: string): { sdl: string; source: string; problems: ContractViolation[] } {
  if (!existsSync(contractPath)) {
    if (!existsSync(copyPath)) throw new Error(`neither ${contractPath} nor its committed copy ${copyPath} exists`);
    return { sdl: readFileSync(copyPath, 'utf8'), source: `${copyPath} (committed copy; ${contractPath} not found)`, problems: [] };
  }
  const sdl = extractGraphqlBlock(readFileSync(contractPath, 'utf8'));
  const copy = existsSync(copyPath) ? readFileSync(copyPath, 'utf8') : null;
  const problems: ContractViolation[] = copy === sdl ? [] : [{
    coordinate: copyPath,
    kind: 'changed',
    message: `the committed copy differs from ${contractPath}'s schema block: run \`npm run schema:check -- --update-contract-copy\``,
  }];
  return { sdl, source: contractPath, problems };
}

/** A readable report: every change by severity, the contract violations, and the verdict. */
export function formatReport(result: SchemaCheckResult): string {
  const lines = [`schema diff against ${result.baselineSource}: ${result.changes.length === 0 ? 'no changes' : `${result.changes.length} change(s)`}`];
  for (const change of result.changes) {
    const label = change.severity === 'breaking' ? (change.deprecatedFirst ? 'BREAKING (deprecated first: allowed)' : 'BREAKING') : change.severity;
    lines.push(`  ${label.padEnd(9)}  ${change.message}`);
  }
  const verdict = result.violations.length === 0 ? 'no violations' : `${result.violations.length} violation(s)`;
  lines.push(`contract schema from ${result.contractSource}: ${verdict}`);
  for (const violation of result.violations) lines.push(`  VIOLATION  ${violation.message}`);
  for (const pending of result.notBuilt) lines.push(`  not built yet (absent from the baseline too)  ${pending.message}`);
  lines.push(result.ok
    ? 'schema check passed'
    : `schema check FAILED: ${result.blocking.length} breaking change(s) not deprecated first, ${result.violations.length} contract violation(s)`);
  return lines.join('\n');
}

/** supergraph.graphql as committed at `rev`, read with git from the directory that holds it. */
function committedSupergraph(path: string, rev: string): string {
  return execFileSync('git', ['-C', dirname(path), 'show', `${rev}:./${basename(path)}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      base: { type: 'string' },
      against: { type: 'string' },
      contract: { type: 'string' },
      'contract-copy': { type: 'string' },
      'update-contract-copy': { type: 'boolean', default: false },
    },
  });
  const root = resolve(__dirname, '..');
  const configPath = values.config ? resolve(values.config) : join(root, 'supergraph.yaml');
  const contractPath = values.contract ? resolve(values.contract) : resolve(root, '..', 'shared', 'CONTRACT.md');
  const contractCopyPath = values['contract-copy'] ? resolve(values['contract-copy']) : join(root, 'docs', 'contract-schema.graphql');
  if (values['update-contract-copy']) {
    writeFileSync(contractCopyPath, extractGraphqlBlock(readFileSync(contractPath, 'utf8')));
    console.log(`wrote ${contractCopyPath} from ${contractPath}`);
    return;
  }
  const result = runSchemaCheck({ configPath, baseline: readBaseline(configPath, values), contractPath, contractCopyPath });
  console.log(formatReport(result));
  if (!result.ok) process.exitCode = 1;
}

function readBaseline(configPath: string, values: { base?: string; against?: string }): { sdl: string; source: string } {
  if (values.against) {
    if (values.base) throw new Error('--against and --base exclude each other');
    const path = resolve(values.against);
    return { sdl: readFileSync(path, 'utf8'), source: path };
  }
  const path = join(dirname(configPath), 'supergraph.graphql');
  const rev = values.base ?? 'HEAD';
  try {
    return { sdl: committedSupergraph(path, rev), source: `${path} at ${rev}` };
  } catch (error) {
    // An explicit revision that can't be read is a mistake to report; the default one is
    // merely unavailable outside a git checkout, where the file on disk is the best baseline.
    if (values.base) throw new Error(`cannot read ${path} at ${rev}: ${error instanceof Error ? error.message : String(error)}`);
    return { sdl: readFileSync(path, 'utf8'), source: `${path} (working tree: not readable from git ${rev})` };
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
