import type { Identity } from '@crossdock/auth';
import type { PlacedOrder } from '@crossdock/orders';
import { setSimulatorFault } from '@crossdock/testkit';
import { eventually, placeAccepted, stored } from './capture-fixtures';
import type { CaptureHarness } from './capture-harness';

export const EXCEPTION_FIELDS = /* GraphQL */ `
  id kind channel warehouseId subject reason rawPayload attempts firstSeenAt lastSeenAt state
  resolution { by at note }
`;

export const EXCEPTIONS = /* GraphQL */ `
  query Exceptions($filter: ExceptionFilter, $first: Int, $after: String) {
    exceptions(filter: $filter, first: $first, after: $after) {
      edges { cursor node { ${EXCEPTION_FIELDS} order { id status } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const REPLAY = /* GraphQL */ `
  mutation Replay($ids: [ID!]!) {
    replayExceptions(ids: $ids) { results { id outcome message exception { ${EXCEPTION_FIELDS} } } }
  }
`;

export const DISCARD = /* GraphQL */ `
  mutation Discard($id: ID!, $reason: String!) {
    discardException(id: $id, reason: $reason) { exception { ${EXCEPTION_FIELDS} } errors { code message field } }
  }
`;

/** An exception as the schema answers it. */
export interface ExceptionNode {
  id: string;
  kind: string;
  channel: string | null;
  warehouseId: string | null;
  subject: string;
  reason: string;
  rawPayload: string;
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  state: string;
  resolution: { by: string; at: string; note: string | null } | null;
  order?: { id: string; status: string } | null;
}

export interface ExceptionsPage {
  edges: { cursor: string; node: ExceptionNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ReplayResultNode {
  id: string;
  outcome: string;
  message: string;
  exception: ExceptionNode | null;
}

/** An operator's identity, as the gateway passes it on. */
export function operator(overrides: Partial<Identity> = {}): Identity {
  return { subject: 'ops-alice', scopes: ['ops:admin', 'orders:read'], customerId: null, channel: null, ...overrides };
}

/** Lists exceptions; returns the page (null when the request failed) and the GraphQL errors. */
export async function listExceptions(h: CaptureHarness, variables: Record<string, unknown> = {}, caller: Identity | null = operator()) {
  const result = await h.run<{ exceptions: ExceptionsPage }>(EXCEPTIONS, variables, caller);
  return { page: result.data?.exceptions ?? null, errors: result.errors ?? [] };
}

/** Replays exceptions; returns the results (null when the request failed) and the GraphQL errors. */
export async function replayExceptions(h: CaptureHarness, ids: string[], caller: Identity | null = operator()) {
  const result = await h.run<{ replayExceptions: { results: ReplayResultNode[] } }>(REPLAY, { ids }, caller);
  return { results: result.data?.replayExceptions.results ?? null, errors: result.errors ?? [] };
}

/** Discards an exception. */
export async function discardException(h: CaptureHarness, id: string, reason: string, caller: Identity | null = operator()) {
  const result = await h.run<{ discardException: { exception: ExceptionNode | null; errors: { code: string; message: string; field: string[] | null }[] } }>(DISCARD, { id, reason }, caller);
  return { payload: result.data?.discardException ?? null, errors: result.errors ?? [] };
}

/** The exceptions of one subject (an order id), read through the schema. */
export async function exceptionsOf(h: CaptureHarness, subject: string): Promise<ExceptionNode[]> {
  const { page, errors } = await listExceptions(h, { filter: { subject } });
  if (!page) throw new Error(`exceptions query failed: ${JSON.stringify(errors)}`);
  return page.edges.map((edge) => edge.node);
}

/**
 * Places an order while the ERP answers every request with HTTP 500 (the customer and prices are
 * cached by a first order placed before), and waits until the outbox gives its ERP posting up:
 * FAILED. The ERP stays broken until the caller heals it.
 */
export async function orderWithFailedErpPosting(h: CaptureHarness, sku: string): Promise<PlacedOrder> {
  await placeAccepted(h, { lines: [{ sku, quantity: 1 }] });
  await setSimulatorFault(h.sims.erp.url, { mode: 'error', errorRate: 1 });
  const { id } = await placeAccepted(h, { lines: [{ sku, quantity: 1 }] });
  return eventually(async () => {
    const order = await stored(h, id);
    return order.postings.erp.state === 'FAILED' ? order : null;
  });
}
