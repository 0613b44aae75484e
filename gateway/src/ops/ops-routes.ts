import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, IDENTITY_HEADER, signIdentity, type Identity, type TokenVerifier } from '@crossdock/auth';
import { isOpsAdmin, sendJson, sendJsonError, type Logger, type Route } from '@crossdock/service';
import { request } from 'undici';
import type { SubgraphEndpoint } from '../readiness';
import { OPS_CONSOLE_HTML } from './ops-page';
import { buildOverview, subgraphUrl } from './ops-overview';

export interface OpsRoutesOptions {
  verify: TokenVerifier;
  /** The gateway's subgraphs, filled as the supergraph loads. */
  subgraphs: readonly SubgraphEndpoint[];
  /** Signs the operator's identity for the subgraphs' own ops endpoints (the WMS's drift report). */
  subgraphSecret: string;
  logger: Logger;
}

/** How long the console waits for the WMS subgraph's drift report or run. */
const DRIFT_TIMEOUT_MS = 30_000;

/**
 * The operations console: `GET /ops` (the page; it holds no data), and the JSON it reads, each
 * for an `ops:admin` bearer token only: `GET /ops/api/overview`, `GET /ops/api/drift` (the last
 * inventory reconciliation) and `POST /ops/api/drift/run` (reconcile now). Exceptions, replay and
 * discard go through /graphql like any other client's operations.
 */
export function opsRoutes(options: OpsRoutesOptions): Route[] {
  const operator = operatorCheck(options.verify);
  return [
    {
      methods: ['GET'],
      path: '/ops',
      handler: async (_req, res) => {
        res.statusCode = 200;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        // The page is static; everything it shows comes from the token-protected JSON below.
        res.setHeader('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:");
        res.setHeader('cache-control', 'no-store');
        res.end(OPS_CONSOLE_HTML);
      },
    },
    {
      methods: ['GET'],
      path: '/ops/api/overview',
      handler: async (req, res) => {
        if (!(await operator(req, res))) return;
        sendJson(res, 200, await buildOverview(options.subgraphs));
      },
    },
    {
      methods: ['GET'],
      path: '/ops/api/drift',
      handler: async (req, res) => {
        const identity = await operator(req, res);
        if (identity) await forwardToWms(options, identity, 'GET', '/ops/drift', res);
      },
    },
    {
      methods: ['POST'],
      path: '/ops/api/drift/run',
      handler: async (req, res) => {
        const identity = await operator(req, res);
        req.resume();
        if (identity) await forwardToWms(options, identity, 'POST', '/ops/drift/run', res);
      },
    },
  ];
}

/** Verifies the bearer token and its ops:admin scope; answers 401/403 itself and returns null when refused. */
function operatorCheck(verify: TokenVerifier): (req: IncomingMessage, res: ServerResponse) => Promise<Identity | null> {
  return async (req, res) => {
    let identity: Identity;
    try {
      identity = await verify(req.headers.authorization);
    } catch (error) {
      sendJsonError(res, 401, 'UNAUTHENTICATED', error instanceof AuthError ? error.message : 'authentication failed');
      return null;
    }
    if (isOpsAdmin(identity)) return identity;
    sendJsonError(res, 403, 'FORBIDDEN', 'the operations console needs an ops:admin token not limited to a customer or channel');
    return null;
  };
}

/** Passes an ops request on to the WMS subgraph, as this operator, and its answer back. */
async function forwardToWms(options: OpsRoutesOptions, identity: Identity, method: 'GET' | 'POST', path: string, res: ServerResponse): Promise<void> {
  const wms = options.subgraphs.find((subgraph) => subgraph.name === 'wms');
  if (!wms) return sendJsonError(res, 404, 'NOT_FOUND', 'this supergraph has no wms subgraph');
  try {
    const response = await request(subgraphUrl(wms, path), {
      method,
      headers: { [IDENTITY_HEADER]: signIdentity(identity, options.subgraphSecret) },
      signal: AbortSignal.timeout(DRIFT_TIMEOUT_MS),
    });
    const body = await response.body.text();
    res.statusCode = response.statusCode;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(body);
  } catch (error) {
    options.logger.warn({ err: error, path }, 'ops console: the wms subgraph did not answer');
    sendJsonError(res, 502, 'BACKEND_UNAVAILABLE', 'the wms subgraph did not answer');
  }
}
