import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, IDENTITY_HEADER, verifyIdentity } from '@crossdock/auth';
import { isOpsAdmin, sendJson, sendJsonError, type Route } from '@crossdock/service';
import type { InventoryReconciliation } from './inventory-reconciliation';

/**
 * The drift report for operators, behind the gateway's ops console: `GET /ops/drift` (the last
 * run) and `POST /ops/drift/run` (reconcile now). Like /graphql, they answer only the gateway's
 * signed identity of an ops:admin caller (no secret: in-process demos and tests, anyone).
 */
export function driftRoutes(reconciliation: InventoryReconciliation, subgraphSecret: string | null): Route[] {
  const allowed = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (subgraphSecret === null) return true;
    const header = req.headers[IDENTITY_HEADER];
    try {
      if (isOpsAdmin(verifyIdentity(Array.isArray(header) ? header[0] : header, subgraphSecret))) return true;
      sendJsonError(res, 403, 'FORBIDDEN', 'the drift report is for ops:admin callers');
    } catch (error) {
      sendJsonError(res, 401, 'UNAUTHENTICATED', error instanceof AuthError ? error.message : 'identity header rejected');
    }
    return false;
  };
  return [
    {
      methods: ['GET'],
      path: '/ops/drift',
      handler: async (req, res) => {
        if (allowed(req, res)) sendJson(res, 200, reconciliation.last());
      },
    },
    {
      methods: ['POST'],
      path: '/ops/drift/run',
      handler: async (req, res) => {
        req.resume();
        if (allowed(req, res)) sendJson(res, 200, await reconciliation.run());
      },
    },
  ];
}
