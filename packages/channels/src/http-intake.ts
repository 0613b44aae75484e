import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody } from '@crossdock/service';
import { secretDigest } from './channel-config';
import type { ChannelIntake } from './channel-intake';
import { EdiSubmissionError } from './edi-intake';
import { answerWebhook, MAX_INTAKE_BODY_BYTES, sendJson as send } from './webhook-http';

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
    // The intake answers with each 997's text; only answers stored before it did are read back.
    const bodies = await intake.documentBodies(interchanges.map((i) => (i.acknowledgment.document === undefined ? i.acknowledgment.documentId : '')));
    send(res, 200, { interchanges: interchanges.map((i, n) => ({ ...i, acknowledgment: { ...i.acknowledgment, document: i.acknowledgment.document ?? bodies[n] ?? null } })) });
  } catch (error) {
    if (!(error instanceof EdiSubmissionError)) throw error;
    send(res, error.status, { code: error.code, message: error.message, issues: error.issues });
  }
}

async function receiveWebhook(intake: ChannelIntake, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const rest = path.slice(`${INTAKE_PATH_PREFIX}/webhooks/`.length);
  await answerWebhook(intake.reception, rest, req, res);
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
