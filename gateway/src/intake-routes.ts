import type { IncomingMessage } from 'node:http';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@crossdock/auth';
import { answerWebhook, type WebhookReception } from '@crossdock/channels/webhook-door';
import { readRawBody, sendJsonError, type Route } from '@crossdock/service';
import { request } from 'undici';
import type { SubgraphEndpoint } from './readiness';

/** Largest intake body forwarded (an EDI interchange of some thousand lines, a big web order). */
const MAX_INTAKE_BODY_BYTES = 5_000_000;

/** Headers that describe this hop, not the message; the identity header only the gateway sets. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-connection', IDENTITY_HEADER]);

/** Who the gateway says is calling an intake route: nobody with a token; the partner or store proves itself to commerce (Basic auth, HMAC). */
const INTAKE_CALLER: Identity = { subject: 'gateway:public-intake', scopes: [], customerId: null, channel: null };

/** What the intake routes need. */
export interface IntakeRouteOptions {
  /** The gateway's subgraphs (read at request time: filled once the supergraph is loaded). */
  subgraphs: readonly SubgraphEndpoint[];
  subgraphSecret: string;
  timeoutMs: number;
  /**
   * The webhook door for the store channels whose secrets the gateway has: their webhooks are
   * verified and queued (Redis) here and answered at once, without a hop to commerce, whose inbox
   * takes the queue. Null, or a channel it does not serve: forwarded to commerce.
   */
  webhooks: WebhookReception | null;
}

/**
 * The public, token-less routes of CONTRACT.md's gateway port: `POST /edi/x12`,
 * `POST /webhooks/shopify/...` and `POST /webhooks/channels/<name>/orders`. Webhooks of the
 * channels `webhooks` serves are answered here; everything else is forwarded byte for byte
 * (signatures are over the raw body) to the commerce subgraph's `/intake/...` with the
 * gateway's signed identity, and its answer passed back.
 */
export function intakeRoutes(options: IntakeRouteOptions): Route[] {
  const webhook = webhookHandler(options);
  return [
    { methods: ['POST'], path: '/edi/x12', handler: forwardTo(options, () => '/intake/edi/x12') },
    // Only the channels' webhooks: /webhooks/wms and /webhooks/carrier belong to other subgraphs.
    { methods: ['POST'], path: '/webhooks/shopify/', prefix: true, handler: webhook },
    { methods: ['POST'], path: '/webhooks/channels/', prefix: true, handler: webhook },
  ];
}

function webhookHandler(options: IntakeRouteOptions): Route['handler'] {
  const forward = forwardTo(options, (path) => `/intake${path}`);
  return async (req, res) => {
    const rest = ((req.url ?? '/').split('?')[0] ?? '/').slice('/webhooks/'.length);
    if (options.webhooks?.serves(rest)) await answerWebhook(options.webhooks, rest, req, res);
    else await forward(req, res);
  };
}

function forwardTo(options: IntakeRouteOptions, target: (path: string) => string): Route['handler'] {
  return async (req, res) => {
    const commerce = options.subgraphs.find((subgraph) => subgraph.name === 'commerce');
    if (!commerce) return sendJsonError(res, 503, 'SERVICE_UNAVAILABLE', 'the commerce subgraph is not part of this supergraph');
    const body = await readRawBody(req, MAX_INTAKE_BODY_BYTES);
    if (body === null) return sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', `at most ${MAX_INTAKE_BODY_BYTES} bytes`);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const url = new URL(target(path), commerce.url.replace(/\/graphql\/?$/, '/')).toString();
    try {
      const answer = await request(url, {
        method: 'POST',
        headers: { ...forwardedHeaders(req), [IDENTITY_HEADER]: signIdentity(INTAKE_CALLER, options.subgraphSecret) },
        body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const text = await answer.body.text();
      res.statusCode = answer.statusCode;
      for (const name of ['content-type', 'www-authenticate']) {
        const value = answer.headers[name];
        if (typeof value === 'string') res.setHeader(name, value);
      }
      res.end(text);
    } catch {
      sendJsonError(res, 502, 'BAD_GATEWAY', 'the commerce subgraph did not answer; send again (intake is idempotent)');
    }
  };
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (NOT_FORWARDED.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
