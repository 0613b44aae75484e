import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { repoRoot } from '@crossdock/testkit';
import { resolversBySubgraph, type SubgraphName } from './resolvers';

/** Distinct query texts kept parsed and validated; gateways send a handful, so this never fills. */
const MAX_CACHED_DOCUMENTS = 1_000;
/** Largest request body accepted; the benchmark's biggest `_entities` fetch is a few kilobytes. */
const MAX_BODY_BYTES = 1_000_000;

/** Absolute path of a subgraph's SDL file (the one source for its server and for composition). */
export function subgraphSdlPath(name: SubgraphName): string {
  return join(repoRoot(), 'bench', 'federation', 'schema', `${name}.graphql`);
}

/** Builds the executable federation schema of one benchmark subgraph. */
export function buildBenchmarkSubgraphSchema(name: SubgraphName): GraphQLSchema {
  const typeDefs = parse(readFileSync(subgraphSdlPath(name), 'utf8'));
  return buildSubgraphSchema({ typeDefs, resolvers: resolversBySubgraph[name] });
}

/**
 * A bare node:http GraphQL server for one subgraph. No framework on purpose: the subgraphs must
 * cost next to nothing so the gateway under test is the bottleneck, hence the document cache.
 * Answers POST on any path.
 */
export function createSubgraphServer(schema: GraphQLSchema): Server {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const server = createServer((request, response) => {
    handle(schema, documents, request, response).catch((error: unknown) => {
      send(response, 500, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    });
  });
  // Longer than any gateway's pooled-connection idle time, so the server never closes a socket
  // the gateway is about to reuse (which would show up as a spurious reset under load).
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(
  schema: GraphQLSchema,
  documents: Map<string, DocumentNode | readonly GraphQLError[]>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST') {
    send(response, 405, { errors: [{ message: 'POST a GraphQL request' }] });
    return;
  }
  const body = readGraphQLBody(await readBody(request));
  if (!body) {
    send(response, 400, { errors: [{ message: 'expected a JSON body with a "query" string' }] });
    return;
  }
  const document = prepare(schema, documents, body.query);
  if (!('kind' in document)) {
    send(response, 400, { errors: document.map((error) => error.toJSON()) });
    return;
  }
  const result = await execute({
    schema,
    document,
    variableValues: body.variables,
    operationName: body.operationName,
  });
  send(response, 200, result);
}

function prepare(
  schema: GraphQLSchema,
  documents: Map<string, DocumentNode | readonly GraphQLError[]>,
  query: string,
): DocumentNode | readonly GraphQLError[] {
  const cached = documents.get(query);
  if (cached) return cached;
  let prepared: DocumentNode | readonly GraphQLError[];
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    prepared = errors.length > 0 ? errors : document;
  } catch (error) {
    prepared = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
  }
  if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
  documents.set(query, prepared);
  return prepared;
}

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function readGraphQLBody(text: string): GraphQLBody | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { query, variables, operationName } = value as Record<string, unknown>; // checked below
  if (typeof query !== 'string') return null;
  return {
    query,
    variables: typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : undefined,
    operationName: typeof operationName === 'string' ? operationName : undefined,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
