import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@crossdock/service';
import { observeOperation, type OperationOutcome } from '@crossdock/telemetry';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';

/** What the request line says of one GraphQL request; never a token, variables or data. */
export interface RequestLine {
  operation: string | null;
  /** The client's self-declared name, else its class. */
  client: string;
  clientClass: string;
  durationMs: number;
  outcome: OperationOutcome;
  /** The distinct error codes of the answer, e.g. ["FORBIDDEN"]. */
  errorCodes: string[];
}

/**
 * One structured log line and one latency observation per GraphQL request: operation name,
 * client, duration and outcome (ok, error, degraded: served partly from a fallback cache). The
 * requests refused before execution (401, 429) are logged by the gate (see refusalTelemetry).
 */
export function requestTelemetryPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const degraded = contextValue.degraded.report().length > 0;
          const outcome: OperationOutcome = errors.length > 0 ? 'error' : degraded ? 'degraded' : 'ok';
          logRequest(logger, {
            operation: operationName ?? null,
            client: contextValue.client.clientName ?? contextValue.client.clientClass,
            clientClass: contextValue.client.clientClass,
            durationMs: performance.now() - started,
            outcome,
            errorCodes: codesOf(errors),
          });
        },
      };
    },
  };
}

/** The request line of a request the gate refused before Apollo saw it (no or bad token, rate limit). */
export function refusalTelemetry(logger: Logger): (error: GraphQLError, durationMs: number) => void {
  return (error, durationMs) =>
    logRequest(logger, { operation: null, client: 'unverified', clientClass: 'unverified', durationMs, outcome: 'refused', errorCodes: codesOf([error]) });
}

/** The request line and latency observation of one request (also for answers shared by coalescing). */
export function logRequest(logger: Logger, line: RequestLine): void {
  observeOperation(line.operation, line.clientClass, line.outcome, line.durationMs / 1000);
  const level = line.outcome === 'error' || line.outcome === 'refused' ? 'warn' : 'info';
  logger[level]({ request: { ...line, durationMs: Math.round(line.durationMs * 10) / 10 } }, 'graphql request');
}

function codesOf(errors: readonly (GraphQLFormattedError | GraphQLError)[]): string[] {
  const codes = errors.map((error) => error.extensions?.code).filter((code): code is string => typeof code === 'string');
  return [...new Set(codes)];
}
