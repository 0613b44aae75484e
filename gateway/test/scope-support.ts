import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { execute, parse, print, validate, type ExecutionResult } from 'graphql';
import { completeResult, ScopeEnforcingGateway, supergraphForExecution, type ScopeEnforcer } from '../src/authorization';

/** The committed supergraph, as the gateway serves it. */
export const SUPERGRAPH_SDL = readFileSync(join(__dirname, '..', '..', 'supergraph.graphql'), 'utf8');

/** Every scope of CONTRACT.md. */
export const ALL_SCOPES = ['orders:read', 'orders:write', 'inventory:read', 'shipments:read', 'customers:read', 'pricing:read', 'edi:submit', 'ops:admin'];

/**
 * Loads a supergraph the way the gateway does (a real ApolloGateway behind ScopeEnforcingGateway,
 * no subgraph is called while loading) and hands out its scope check.
 */
export async function loadEnforcer(supergraphSdl: string): Promise<{ enforcer: ScopeEnforcer; stop(): Promise<void> }> {
  const gateway = new ScopeEnforcingGateway(new ApolloGateway({ supergraphSdl: supergraphForExecution(supergraphSdl) }));
  await gateway.load({ apollo: {} });
  return { enforcer: gateway.scopes, stop: () => gateway.stop() };
}

export interface RunOptions {
  scopes: readonly string[];
  variables?: Record<string, unknown>;
  /** The data "the subgraphs" answer with: graphql-js default resolvers read it. */
  root: Record<string, unknown>;
  authenticated?: boolean;
}

/**
 * Runs an operation in process as the gateway would: authorize, execute what remains (graphql-js
 * over the API schema stands in for the query plan), complete the result.
 */
export async function run(enforcer: ScopeEnforcer, query: string, options: RunOptions): Promise<ExecutionResult & { executed: string | null }> {
  const document = parse(query);
  const scoped = enforcer.authorize({
    document,
    operationName: undefined,
    queryHash: createHash('sha256').update(query).digest('hex'),
    access: { authenticated: options.authenticated ?? true, scopes: new Set(options.scopes) },
  });
  if (scoped) {
    // The reduced document is valid GraphQL for the schema on its own.
    const errors = validate(enforcer.schema, scoped.document);
    if (errors.length > 0) throw new Error(`reduced document is invalid: ${errors.map((e) => e.message).join('; ')}`);
  }
  const result = await execute({
    schema: enforcer.schema,
    document: scoped ? scoped.document : document,
    rootValue: options.root,
    variableValues: options.variables ?? {},
  });
  const completed = scoped ? completeResult(scoped, result) : result;
  return { ...completed, executed: scoped ? print(scoped.document) : null };
}

/** The errors of a result as [code, path] pairs, sorted by path, for exact comparison. */
export function errorPaths(result: ExecutionResult): [unknown, string][] {
  return (result.errors ?? [])
    .map((e): [unknown, string] => [e.extensions?.code, (e.path ?? []).join('.')])
    .sort((a, b) => a[1].localeCompare(b[1]));
}
