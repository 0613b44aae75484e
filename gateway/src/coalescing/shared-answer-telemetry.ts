import type { Logger } from '@crossdock/service';
import type { OperationOutcome } from '@crossdock/telemetry';
import type { GatewayContext } from '../context';
import { logRequest } from '../observability/request-telemetry';
import type { SerializedAnswer } from './coalescing-responder';

/** An answer's outcome and error codes, as the request line reports them. */
export interface AnswerOutcome {
  outcome: OperationOutcome;
  errorCodes: string[];
}

/**
 * The request line and operation metrics of a caller that was handed another caller's answer,
 * as for any request, so coalesced requests are neither missing from the logs nor from the
 * request rate. (The leader's come from Apollo's plugins as usual.)
 */
export function logSharedAnswer(logger: Logger, context: GatewayContext, answer: SerializedAnswer, durationMs: number, operationName: string | null): void {
  logRequest(logger, {
    operation: operationName,
    client: context.client.clientName ?? context.client.clientClass,
    clientClass: context.client.clientClass,
    durationMs,
    ...answer.outcome,
  });
}

/** Worked out once per shared answer. Apollo writes `errors` first and `extensions` last (orderExecutionResultFields). */
export function answerOutcome(status: number, body: string): AnswerOutcome {
  if (status >= 400 || body.startsWith('{"errors":')) return { outcome: 'error', errorCodes: errorCodesOf(body) };
  const extensions = body.lastIndexOf('"extensions":');
  return { outcome: extensions >= 0 && body.includes('"degraded":', extensions) ? 'degraded' : 'ok', errorCodes: [] };
}

/** The distinct error codes of an error answer. */
function errorCodesOf(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const errors: unknown[] = typeof parsed === 'object' && parsed !== null && 'errors' in parsed && Array.isArray(parsed.errors) ? parsed.errors : [];
  const codes = errors.map((error) => {
    const extensions = typeof error === 'object' && error !== null && 'extensions' in error ? error.extensions : undefined;
    return typeof extensions === 'object' && extensions !== null && 'code' in extensions ? extensions.code : undefined;
  });
  return [...new Set(codes.filter((code): code is string => typeof code === 'string'))];
}
