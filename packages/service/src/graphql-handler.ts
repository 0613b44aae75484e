import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';

/** Request bodies above this size are refused with 413 before any parsing. */
export const DEFAULT_MAX_BODY_BYTES = 1_000_000;

export interface GraphQLHandlerOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  /**
   * Builds the per-request context (identity, DataLoaders). Throw a GraphQLError with
   * `extensions.http.status` to refuse the request, e.g. 401 for a missing token.
   */
  context: (req: IncomingMessage) => Promise<C>;
  maxBodyBytes?: number;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves an ApolloServer on node:http through its integration API (executeHTTPGraphQLRequest),
 * without Express: fewer layers per request, and the same code for the gateway and subgraphs.
 */
export function graphqlHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>): RequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, res) => {
    const read = await readGraphQLBody(req, maxBodyBytes);
    if (!read.ok) return sendJsonError(res, read.status, read.code, read.message);
    await writeGraphQLResponse(res, await executeGraphQLRequest(options.server, req, read.body, () => options.context(req)));
  };
}

/** A request's body as Apollo takes it (parsed JSON, raw text, or undefined for GET), or why it was refused. */
export type GraphQLBodyRead = { ok: true; body: unknown } | { ok: false; status: number; code: string; message: string };

/** Reads and, for JSON, parses a GraphQL request's body: 413 above `maxBodyBytes`, 400 for bad JSON. */
export async function readGraphQLBody(req: IncomingMessage, maxBodyBytes: number): Promise<GraphQLBodyRead> {
  if (req.method !== 'POST') return { ok: true, body: undefined };
  const raw = await readBody(req, maxBodyBytes);
  if (raw === null) return { ok: false, status: 413, code: 'PAYLOAD_TOO_LARGE', message: `request body exceeds ${maxBodyBytes} bytes` };
  if (!(req.headers['content-type'] ?? '').includes('application/json')) return { ok: true, body: raw };
  try {
    return { ok: true, body: raw.length === 0 ? {} : JSON.parse(raw) };
  } catch {
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'request body is not valid JSON' };
  }
}

/** Runs one HTTP GraphQL request through Apollo Server's integration API, with a body already read. */
export function executeGraphQLRequest<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  body: unknown,
  context: () => Promise<C>,
): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  return server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: queryStart === -1 ? '' : url.slice(queryStart + 1), body },
    context,
  });
}

/** Writes Apollo's answer: status, headers, then the body (streamed when it is chunked). */
export async function writeGraphQLResponse(res: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of result.headers) res.setHeader(name, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Reads a request body's bytes as sent (signatures are over these) up to `limit`; null when it is
 * larger (the rest is drained, not kept).
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads a request body as UTF-8 up to `limit` bytes; null when it is larger. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return (await readRawBody(req, limit))?.toString('utf8') ?? null;
}

/** A GraphQL-shaped error answer for failures before execution (bad JSON, oversized body). */
export function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
