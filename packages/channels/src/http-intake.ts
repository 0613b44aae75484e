import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretDigest } from './channel-config';
import type { ChannelIntake } from './channel-intake';
import { EdiSubmissionError } from './edi-intake';

/** Largest body taken: an interchange of a few thousand lines, or a big web order. */
export const MAX_INTAKE_BODY_BYTES = 5_000_000;

/** Path prefix of the intake routes on the commerce subgraph; the gateway maps its public routes here. */
export const INTAKE_PATH_PREFIX = '/intake';

/** A route as node:http services here declare them (packages/service's Route shape). */
export interface IntakeRoute {
  methods: readonly string[];
  path: string;
  prefix?: boolean;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/**
 * The channel intake's HTTP routes, under /intake (the gateway's /edi/x12 and /webhooks/... map
 * here): POST /intake/edi/x12 (Basic auth: partner id and its secret; the ISA sender must be
 * that partner), POST /intake/webhooks/shopify/orders/create|cancelled, and
 * POST /intake/webhooks/channels/<name>/orders for mapped marketplaces. `admit` runs first
 * (the commerce subgraph checks the gateway's signed identity there).
 */
export function intakeRoutes(intake: ChannelIntake, admit: (req: IncomingMessage, res: ServerResponse) => boolean): IntakeRoute[] {
  const guarded = (handler: IntakeRoute['handler']): IntakeRoute['handler'] => async (req, res) => {
    if (admit(req, res)) await handler(req, res);
  };
  return [
    { methods: ['POST'], path: `${INTAKE_PATH_PREFIX}/edi/x12`, handler: guarded((req, res) => receiveEdi(intake, req, res)) },
    { methods: ['POST'], path: `${INTAKE_PATH_PREFIX}/webhooks/`, prefix: true, handler: guarded((req, res) => receiveWebhook(intake, req, res)) },
  ];
}

async function receiveEdi(intake: ChannelIntake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const partnerId = authenticatePartner(intake, req.headers.authorization);
  if (partnerId === null) {
    res.setHeader('www-authenticate', 'Basic realm="crossdock-edi"');
    return send(res, 401, { code: 'UNAUTHENTICATED', message: 'EDI intake needs Basic auth with a partner id and its secret' });
  }
  const body = await readRawBody(req, MAX_INTAKE_BODY_BYTES);
  if (body === null) return send(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: `at most ${MAX_INTAKE_BODY_BYTES} bytes` });
  try {
    const interchanges = await intake.edi.submit(body.toString('utf8'), [partnerId]);
    const bodies = await intake.documentBodies(interchanges.map((i) => i.acknowledgment.documentId));
    send(res, 200, { interchanges: interchanges.map((i, n) => ({ ...i, acknowledgment: { ...i.acknowledgment, document: bodies[n] ?? null } })) });
  } catch (error) {
    if (!(error instanceof EdiSubmissionError)) throw error;
    send(res, error.status, { code: error.code, message: error.message, issues: error.issues });
  }
}

async function receiveWebhook(intake: ChannelIntake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const rest = path.slice(`${INTAKE_PATH_PREFIX}/webhooks/`.length);
  const body = await readRawBody(req, MAX_INTAKE_BODY_BYTES);
  if (body === null) return send(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: `at most ${MAX_INTAKE_BODY_BYTES} bytes` });
  const shopify = /^shopify\/(orders\/(?:create|cancelled))$/.exec(rest);
  const mapped = /^channels\/([a-z0-9-]+)\/orders$/.exec(rest);
  const receipt = shopify?.[1]
    ? await intake.webhooks.receiveShopify(shopify[1], body, req.headers)
    : mapped?.[1]
      ? await intake.webhooks.receiveMapped(mapped[1], body, req.headers)
      : { status: 404 as const, body: { status: 'rejected' as const, deliveryId: null, code: 'NOT_FOUND', message: `no webhook intake at /webhooks/${rest}` } };
  send(res, receipt.status, receipt.body);
}

/** The partner id from `Authorization: Basic base64(id:secret)` when the secret matches its file's digest; else null. */
export function authenticatePartner(intake: ChannelIntake, header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const partner = intake.partners.get(decoded.slice(0, colon))?.partner;
  if (!partner) return null;
  const given = Buffer.from(secretDigest(decoded.slice(colon + 1)), 'hex');
  const expected = Buffer.from(partner.auth.secretSha256, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? partner.id : null;
}

/** The body's bytes as sent (signatures are over these), or null past `limit`. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
