import type { HubStack } from '@crossdock/testkit';

/** One SKU's stock summed over every warehouse, as the gateway shows it. */
export interface SkuStock {
  available: number;
  onHand: number;
  /** Reserved in the WMS plus the hub's pending (unconfirmed) reservations: the WMS subgraph adds both. */
  reserved: number;
}

const STOCK_QUERY = /* GraphQL */ 'query BenchStock($sku: ID!) { product(sku: $sku) { available inventory { onHand reserved } } }';

/** Reads a SKU's stock through the gateway, as any client would (needs `inventory:read`). */
export async function readSkuStock(hub: HubStack, token: string, sku: string): Promise<SkuStock> {
  const { status, body } = await hub.query<{ product: { available: number; inventory: { onHand: number; reserved: number }[] } | null }>(STOCK_QUERY, { sku }, token);
  const product = body.data?.product;
  if (status !== 200 || body.errors?.length || !product) throw new Error(`stock of ${sku}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  return {
    available: product.available,
    onHand: product.inventory.reduce((sum, position) => sum + position.onHand, 0),
    reserved: product.inventory.reduce((sum, position) => sum + position.reserved, 0),
  };
}

/** A receipt in the WMS (CONTRACT.md: `POST /_admin/adjust`); the hub learns of it as it would in production. */
export async function raiseStock(wmsUrl: string, sku: string, warehouseId: string, delta: number): Promise<void> {
  const response = await fetch(`${wmsUrl}/_admin/adjust`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, warehouseId, delta }),
  });
  if (!response.ok) throw new Error(`adjust ${sku}@${warehouseId} by ${delta} refused: HTTP ${response.status} ${await response.text()}`);
}

/** The zero-oversell check's outcome, as one line for the notes. */
export interface OversellCheck {
  holds: boolean;
  text: string;
}

/**
 * Reservations move from the hub's pending into the WMS's reserved when a posting confirms them;
 * a WMS allocation whose answer was lost is counted twice until the outbox retries it (5 s grace
 * plus backoff). So the check polls up to this long for the sum to settle before it judges.
 */
const SETTLE_ATTEMPTS = 60;
const SETTLE_PAUSE_MS = 500;

/** The orders a check counts: those known accepted, and those whose outcome could not be learned. */
export interface OrderOutcomes {
  /** Units of accepted orders (every order is one unit). */
  accepted: number;
  /** Orders whose outcome stayed unknown even after asking again by key. */
  undecided: number;
}

/**
 * Zero oversell: what is reserved now (WMS + hub pending) must be exactly the accepted units more
 * than `before`, and that increase must not exceed what was available before. With undecided
 * orders exactness cannot be shown; the check then fails, saying whether the stock is at least
 * consistent with some of them having been accepted.
 */
export async function checkNoOversell(read: () => Promise<SkuStock>, before: SkuStock, orders: OrderOutcomes, sku: string): Promise<OversellCheck> {
  const { accepted, undecided } = orders;
  let after = await read();
  for (let attempt = 1; attempt < SETTLE_ATTEMPTS && after.reserved - before.reserved !== accepted; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
    after = await read();
  }
  const increase = after.reserved - before.reserved;
  const exact = increase === accepted;
  const withinStock = increase <= before.available;
  const holds = exact && withinStock;
  const n = (value: number): string => value.toLocaleString('en-US');
  const verdict = holds ? 'holds' : exact || increase < accepted || increase > accepted + undecided ? 'FAILS' : 'cannot be decided';
  const unknown =
    undecided > 0 ? ` (${n(undecided)} more orders' outcome unknown${!exact && increase > accepted && increase <= accepted + undecided ? ', which would explain the difference' : ''})` : '';
  const text =
    `zero-oversell check on ${sku} ${verdict}: reserved (WMS + hub pending) ${n(before.reserved)} → ${n(after.reserved)}, ` +
    `+${n(increase)} ${exact ? '=' : '≠'} ${n(accepted)} accepted units${unknown}; ` +
    `${withinStock ? 'within' : 'ABOVE'} the ${n(before.available)} available before (${n(after.available)} after, on hand ${n(before.onHand)} → ${n(after.onHand)})`;
  return { holds, text };
}
