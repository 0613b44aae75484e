import { HttpError, intParam, listParam, type SimReply, type SimRequest } from './http-kit';
import { COMMERCE_STATUS, type StoreOrder } from './commerce-documents';
import { newerFirst, type CommerceStore } from './commerce-store';

/**
 * `GET orders.json`: filters, newest first, and cursor paging through an opaque `page_info`
 * token handed out in a `Link` header, which carries the filter so later pages replay it.
 */

export const ORDERS_PATH = '/admin/api/2026-01/orders.json';
const MAX_LIMIT = 250;
const DEFAULT_LIMIT = 50;
const KNOWN_STATUSES = new Set(Object.values(COMMERCE_STATUS));
const FILTER_PARAMS = ['ids', 'names', 'customer_id', 'source_name', 'status', 'created_at_min', 'created_at_max'] as const;

interface OrderFilter {
  ids?: Set<number>;
  names?: Set<string>;
  customerId?: string;
  sourceName?: string;
  statuses?: string[];
  minMs?: number;
  maxMs?: number;
}

/** What a page_info token carries: the filter (as its query string) and where the last page stopped. */
interface PageToken {
  filterQuery: string;
  after: [placedAtMs: number, commerceId: number];
}

function timeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new HttpError(400, name, `"${name}" is not an ISO-8601 time: "${raw}"`);
  return ms;
}

function parseFilter(query: URLSearchParams): OrderFilter {
  const idList = listParam(query, 'ids', MAX_LIMIT)?.map((id) => {
    if (!/^\d+$/.test(id)) throw new HttpError(400, 'ids', `"ids" must be numeric order ids, got "${id}"`);
    return Number(id);
  });
  const statusList = listParam(query, 'status', KNOWN_STATUSES.size + 1);
  const statuses = statusList?.includes('any') ? undefined : statusList ?? undefined;
  for (const s of statuses ?? []) {
    if (!KNOWN_STATUSES.has(s)) throw new HttpError(400, 'status', `unknown status "${s}"`);
  }
  const names = listParam(query, 'names', MAX_LIMIT);
  return {
    ids: idList ? new Set(idList) : undefined,
    names: names ? new Set(names) : undefined,
    customerId: query.get('customer_id') ?? undefined,
    sourceName: query.get('source_name') ?? undefined,
    statuses,
    minMs: timeParam(query, 'created_at_min'),
    maxMs: timeParam(query, 'created_at_max'),
  };
}

/** Lookups by id or name go through the maps: batch calls must not scan every order. */
function candidates(f: OrderFilter, store: CommerceStore): readonly StoreOrder[] {
  const keyed = f.names
    ? [...f.names].flatMap((name) => store.byName(name) ?? [])
    : f.ids
      ? [...f.ids].flatMap((id) => store.byId(id) ?? [])
      : null;
  return keyed ? keyed.sort(newerFirst) : store.newestFirst;
}

function matches(o: StoreOrder, f: OrderFilter): boolean {
  return (
    (f.ids === undefined || f.ids.has(o.commerceId)) &&
    (f.names === undefined || f.names.has(o.id)) &&
    (f.customerId === undefined || o.customerId === f.customerId) &&
    (f.sourceName === undefined || o.channel === f.sourceName) &&
    (f.statuses === undefined || f.statuses.includes(COMMERCE_STATUS[o.status])) &&
    (f.minMs === undefined || o.placedAtMs >= f.minMs) &&
    (f.maxMs === undefined || o.placedAtMs <= f.maxMs)
  );
}

const encodeToken = (token: PageToken) => Buffer.from(JSON.stringify([token.filterQuery, ...token.after]), 'utf8').toString('base64url');

function decodeToken(raw: string): PageToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'number' && typeof parsed[2] === 'number') {
    return { filterQuery: parsed[0], after: [parsed[1], parsed[2]] };
  }
  throw new HttpError(400, 'page_info', 'Invalid value.');
}

/** The filter parameters alone, so a token replays exactly the query that made it. */
function filterQueryOf(query: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    const value = query.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept.toString();
}

/** One page of `GET orders.json`, rendered by `render`. */
export function listOrders(req: SimRequest, store: CommerceStore, render: (order: StoreOrder) => unknown): SimReply {
  const limit = intParam(req.query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const pageInfo = req.query.get('page_info');
  let filterQuery = filterQueryOf(req.query);
  let after: PageToken['after'] | null = null;
  if (pageInfo !== null) {
    const stray = FILTER_PARAMS.filter((p) => req.query.has(p));
    if (stray.length > 0) throw new HttpError(400, 'page_info', `page_info cannot be combined with ${stray.join(', ')}`);
    ({ filterQuery, after } = decodeToken(pageInfo));
  }
  const filter = parseFilter(new URLSearchParams(filterQuery));
  const page: StoreOrder[] = [];
  let more = false;
  for (const o of candidates(filter, store)) {
    if (after && (o.placedAtMs > after[0] || (o.placedAtMs === after[0] && o.commerceId >= after[1]))) continue;
    if (!matches(o, filter)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(o);
  }
  const last = page[page.length - 1];
  const headers: Record<string, string> = {};
  if (more && last) {
    const token = encodeToken({ filterQuery, after: [last.placedAtMs, last.commerceId] });
    headers.link = `<http://${req.host}${ORDERS_PATH}?limit=${limit}&page_info=${token}>; rel="next"`;
  }
  return { body: { orders: page.map(render) }, headers };
}
