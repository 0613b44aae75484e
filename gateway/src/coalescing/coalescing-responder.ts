import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import { executeGraphQLRequest, readGraphQLBody, sendJsonError, writeGraphQLResponse, type Logger } from '@crossdock/service';
import type { GatewayContext } from '../context';
import { CoalescingKeys } from './coalescing-key';
import { InflightCoalescer } from './inflight-coalescer';
import { answerOutcome, logSharedAnswer, type AnswerOutcome } from './shared-answer-telemetry';

/** One complete answer as it goes on the wire, handed to every caller that shared it. */
export interface SerializedAnswer {
  status: number;
  headers: readonly (readonly [string, string])[];
  /** Encoded once: writing a string would encode it again for every caller. */
  body: Buffer;
  /** What the request line says of it, worked out once for all who share it. */
  outcome: AnswerOutcome;
}

/** Answers one admitted caller's GraphQL request; `maxBodyBytes` is its class's body limit. */
export type GraphQLResponder = (req: IncomingMessage, res: ServerResponse, context: GatewayContext, maxBodyBytes: number) => Promise<void>;

export interface CoalescingResponderOptions {
  server: ApolloServer<GatewayContext>;
  /** Where the request lines of callers handed a shared answer go, as Apollo's plugins log the others. */
  logger: Logger;
}

/** The responder and its counts, for tests and statistics. */
export interface CoalescingResponder {
  respond: GraphQLResponder;
  coalescer: InflightCoalescer<SerializedAnswer | null>;
}

/**
 * Answers identical in-flight queries of callers with the same view once (see CoalescingKeys
 * for what "identical" takes in): the first runs through Apollo as usual, the others wait for
 * its answer and get the same status, headers and body bytes, without parsing, planning or
 * fetching anything. Every caller has been verified and admitted (rate limit) before it gets
 * here. A thrown error reaches every caller that shared the execution, as it would have reached
 * each alone. Requests that cannot be shared (mutations, subscriptions, GET, multipart) run as
 * without coalescing.
 */
export function coalescingResponder(options: CoalescingResponderOptions): CoalescingResponder {
  const keys = new CoalescingKeys();
  const coalescer = new InflightCoalescer<SerializedAnswer | null>();
  const respond: GraphQLResponder = async (req, res, context, maxBodyBytes) => {
    const started = performance.now();
    const read = await readGraphQLBody(req, maxBodyBytes);
    if (!read.ok) return sendJsonError(res, read.status, read.code, read.message);
    const execute = (): Promise<HTTPGraphQLResponse> => executeGraphQLRequest(options.server, req, read.body, async () => context);
    const key = req.method === 'POST' ? keys.keyOf(read.body, { identity: context.identity, client: context.client, accept: req.headers.accept }) : null;
    if (key === null) return writeGraphQLResponse(res, await execute());
    let led = false;
    const shared = await coalescer.run(key, async () => {
      led = true;
      const result = await execute();
      if (result.body.kind === 'complete') return serialized(result, result.body.string);
      // A streamed answer goes to the leader only; the others run on their own (see below).
      await writeGraphQLResponse(res, result);
      return null;
    });
    if (led) {
      if (shared) writeAnswer(res, shared);
      return;
    }
    if (shared === null) return writeGraphQLResponse(res, await execute());
    writeAnswer(res, shared);
    logSharedAnswer(options.logger, context, shared, performance.now() - started, operationNameOf(read.body));
  };
  return { respond, coalescer };
}

function operationNameOf(body: unknown): string | null {
  const name = typeof body === 'object' && body !== null && 'operationName' in body ? body.operationName : null;
  return typeof name === 'string' ? name : null;
}

function serialized(result: HTTPGraphQLResponse, body: string): SerializedAnswer {
  const status = result.status ?? 200;
  return { status, headers: [...result.headers], body: Buffer.from(body, 'utf8'), outcome: answerOutcome(status, body) };
}

function writeAnswer(res: ServerResponse, answer: SerializedAnswer): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status;
  res.end(answer.body);
}
