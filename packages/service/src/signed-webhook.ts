import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BackendError } from '@crossdock/connectors';
import type { Logger } from 'pino';
import { readBody, type RequestHandler } from './graphql-handler';
import { sendJson, type Route } from './http-service';

/** Notices above this size are refused before they are read (and recorded truncated). */
export const MAX_NOTICE_BYTES = 256_000;

/** The bus could not take the event (Redis down): the sender should deliver the notice again. */
export class EventBusUnavailableError extends Error {
  override name = 'EventBusUnavailableError';
}

/** What a refused notice is recorded as; the exception store (@crossdock/exceptions) takes it. */
export interface RefusedNoticeReport {
  kind: 'malformed-webhook';
  subject: string;
  reason: string;
  rawPayload: string;
}

export interface SignedWebhookOptions {
  /** e.g. "/webhooks/wms". */
  path: string;
  /** Who sends, in messages and exception subjects, e.g. "wms". */
  source: string;
  /** The header with the hex HMAC-SHA256 of the raw body, e.g. "x-wms-signature". */
  signatureHeader: string;
  /** The shared HMAC key; null refuses every notice (503), since none can be verified. */
  secret: string | null;
  /** Where refused notices go, with their raw body (null: only logged; in-process tests). */
  exceptions: { record(report: RefusedNoticeReport): Promise<unknown> } | null;
  logger: Logger;
  /**
   * Translates a verified notice into the canonical event and appends it; answers the event's
   * cursor. Throws BackendError 'bad-response' for a notice it cannot read (refused, 422), and
   * EventBusUnavailableError when the event could not be appended (503: deliver again).
   */
  accept: (notice: unknown) => Promise<string>;
}

interface Refusal {
  status: number;
  code: string;
  reason: string;
}

/**
 * A webhook route for a backend's signed notices. A notice is accepted (202, with the event's
 * cursor) only when its signature verifies (constant-time compare) and it reads as the backend's
 * notice; anything else is answered with a clear error and recorded in the exception store with
 * its raw body, kind malformed-webhook: never dropped silently.
 */
export function signedWebhookRoute(options: SignedWebhookOptions): Route {
  return { methods: ['POST'], path: options.path, handler: webhookHandler(options) };
}

function webhookHandler(options: SignedWebhookOptions): RequestHandler {
  return async (req, res) => {
    const raw = await readBody(req, MAX_NOTICE_BYTES);
    const refusal = raw === null ? { status: 413, code: 'PAYLOAD_TOO_LARGE', reason: `notice exceeds ${MAX_NOTICE_BYTES} bytes` } : verify(req, raw, options);
    if (refusal) return refuse(res, refusal, raw ?? '', options);
    let notice: unknown;
    try {
      notice = JSON.parse(raw ?? '');
    } catch {
      return refuse(res, { status: 400, code: 'MALFORMED_NOTICE', reason: 'body is not JSON' }, raw ?? '', options);
    }
    try {
      const cursor = await options.accept(notice);
      sendJson(res, 202, { accepted: true, cursor });
    } catch (error) {
      if (error instanceof BackendError && error.kind === 'bad-response') {
        return refuse(res, { status: 422, code: 'MALFORMED_NOTICE', reason: error.message }, raw ?? '', options);
      }
      if (error instanceof EventBusUnavailableError) {
        options.logger.error({ err: error, source: options.source }, 'webhook notice could not be published; the sender will retry');
        return sendJson(res, 503, { error: 'EVENT_BUS_UNAVAILABLE', message: 'the notice could not be stored; deliver it again' });
      }
      throw error;
    }
  };
}

function verify(req: IncomingMessage, raw: string, options: SignedWebhookOptions): Refusal | null {
  if (options.secret === null) return { status: 503, code: 'WEBHOOK_NOT_CONFIGURED', reason: `no ${options.source} webhook secret is configured, so no notice can be verified` };
  const header = req.headers[options.signatureHeader.toLowerCase()];
  const given = Array.isArray(header) ? header[0] : header;
  if (!given) return { status: 401, code: 'MISSING_SIGNATURE', reason: `the ${options.signatureHeader} header is missing` };
  const expected = createHmac('sha256', options.secret).update(raw).digest();
  const actual = /^[0-9a-f]+$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { status: 401, code: 'INVALID_SIGNATURE', reason: `the ${options.signatureHeader} signature does not match the body` };
  }
  return null;
}

/** Records the refused notice, then answers; if it cannot be recorded, 503 so the sender retries. */
async function refuse(res: Parameters<RequestHandler>[1], refusal: Refusal, raw: string, options: SignedWebhookOptions): Promise<void> {
  options.logger.warn({ source: options.source, code: refusal.code, reason: refusal.reason }, 'webhook notice refused');
  try {
    await options.exceptions?.record({
      kind: 'malformed-webhook',
      // The same bytes delivered again are the same item (attempts go up), different ones are not.
      subject: `${options.source}-notice:${createHash('sha256').update(raw).digest('hex').slice(0, 24)}`,
      reason: `${refusal.code}: ${refusal.reason}`,
      rawPayload: raw.slice(0, MAX_NOTICE_BYTES),
    });
  } catch (error) {
    options.logger.error({ err: error, source: options.source }, 'a refused webhook notice could not be recorded; asking the sender to retry');
    return sendJson(res, 503, { error: 'EXCEPTION_STORE_UNAVAILABLE', message: 'the notice could not be recorded; deliver it again' });
  }
  sendJson(res, refusal.status, { error: refusal.code, message: refusal.reason });
}
