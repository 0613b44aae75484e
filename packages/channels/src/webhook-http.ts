import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody } from '@crossdock/service';
import type { WebhookReception } from './webhook-reception';

/** Largest body taken: an interchange of a few thousand lines, or a big web order. */
export const MAX_INTAKE_BODY_BYTES = 5_000_000;

/**
 * Reads a webhook's raw body and answers it through `reception` (`rest`: the path after
 * `/webhooks/`); 503 when the queue cannot take it, so the store delivers it again. The commerce
 * intake routes and the gateway's /webhooks/... routes both answer with this.
 */
export async function answerWebhook(reception: WebhookReception, rest: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readRawBody(req, MAX_INTAKE_BODY_BYTES);
  if (body === null) return sendJson(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: `at most ${MAX_INTAKE_BODY_BYTES} bytes` });
  try {
    const receipt = await reception.receive(rest, body, req.headers);
    sendJson(res, receipt.status, receipt.body);
  } catch {
    sendJson(res, 503, { status: 'rejected', deliveryId: null, code: 'SERVICE_UNAVAILABLE', message: 'the webhook could not be queued; deliver it again' });
  }
}

/** A JSON answer with its status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
