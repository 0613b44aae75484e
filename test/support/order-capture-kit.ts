import { generateWorld, type World } from '@crossdock/simulators';
import type { GraphQLBody, HubStack, QueryFunction } from '@crossdock/testkit';

export const world: World = generateWorld();

export const PLACE_ORDER = /* GraphQL */ `
  mutation Place($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order { id status channel externalRef erpPosting erpOrderNumber total { amount currency } lines { lineNumber sku quantity unitPrice { amount } } allocations { sku quantity warehouse { id } } }
      errors { code message field }
    }
  }
`;

export interface PlacedOrderView {
  id: string;
  status: string;
  channel: string;
  externalRef: string | null;
  erpPosting: string;
  erpOrderNumber: string | null;
  total: { amount: string; currency: string } | null;
  lines: { lineNumber: number; sku: string; quantity: number; unitPrice: { amount: string } | null }[];
  allocations: { sku: string; quantity: number; warehouse: { id: string } }[];
}

export interface PlaceOrderAnswer {
  placeOrder: { order: PlacedOrderView | null; errors: { code: string; message: string; field: string[] | null }[] };
}

export interface OrderInput {
  idempotencyKey: string;
  channel: string;
  customerId: string;
  externalRef?: string;
  lines: { sku: string; quantity: number }[];
}

/** A customer in good standing with room on their credit line. */
export function goodCustomer(): string {
  const customer = world.customers.filter((c) => !c.onHold).sort((a, b) => b.creditLimitCents - b.creditUsedCents - (a.creditLimitCents - a.creditUsedCents))[0];
  if (!customer) throw new Error('the world has no customer in good standing');
  return customer.id;
}

/** Sellable SKUs, cheapest first, so credit never gets in the way of a stock test. */
export function cheapSkus(): string[] {
  return world.products.filter((p) => p.sellable).sort((a, b) => a.listPriceCents - b.listPriceCents).map((p) => p.sku);
}

let sequence = 0;
/** An idempotency key no other test uses. */
export function freshKey(label: string): string {
  sequence += 1;
  return `${label}-${process.pid}-${Date.now()}-${sequence}`;
}

export async function place(query: QueryFunction, token: string, input: OrderInput): Promise<PlaceOrderAnswer['placeOrder']> {
  const { status, body } = await query<PlaceOrderAnswer>(PLACE_ORDER, { input }, token);
  if (status !== 200 || !body.data) throw new Error(`placeOrder answered HTTP ${status}: ${JSON.stringify(body)}`);
  return body.data.placeOrder;
}

/** Stock the hub would promise for a SKU right now, per warehouse and in all. */
export async function availability(hub: HubStack, sku: string): Promise<{ total: number; byWarehouse: Map<string, { onHand: number; reserved: number; available: number }> }> {
  const { body } = await hub.query<{ product: { available: number; inventory: { warehouse: { id: string }; onHand: number; reserved: number; available: number }[] } }>(
    'query($sku: ID!) { product(sku: $sku) { available inventory { warehouse { id } onHand reserved available } } }',
    { sku },
  );
  assertNoErrors(body);
  const product = body.data!.product;
  return { total: product.available, byWarehouse: new Map(product.inventory.map((p) => [p.warehouse.id, p])) };
}

/** Brings a SKU's available stock to exactly `target` units, all in its first warehouse, through the WMS's own adjust switch. */
export async function setAvailable(hub: HubStack, sku: string, target: number): Promise<void> {
  const { byWarehouse } = await availability(hub, sku);
  const entries = [...byWarehouse.entries()];
  for (const [index, [warehouseId, position]] of entries.entries()) {
    const delta = (index === 0 ? target : 0) - position.available;
    if (delta === 0) continue;
    const response = await fetch(`${hub.simulatorUrls.wms}/_admin/adjust`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, warehouseId, delta }),
    });
    if (!response.ok) throw new Error(`adjust ${sku}@${warehouseId} by ${delta} refused: ${await response.text()}`);
  }
}

/** How many ERP sales orders exist for a hub order, and how many times the hub asked for one. */
export async function erpPostings(hub: HubStack, orderId: string): Promise<{ salesOrders: number; requests: number }> {
  const response = await fetch(`${hub.simulatorUrls.erp}/_admin/salesorders?externalRef=${encodeURIComponent(orderId)}`);
  const body = (await response.json()) as { postings: { externalRef: string; requests: number; salesOrderNos: string[] }[] };
  const posting = body.postings.find((p) => p.externalRef === orderId);
  return { salesOrders: posting?.salesOrderNos.length ?? 0, requests: posting?.requests ?? 0 };
}

/** Polls until `check` returns a value or the bound runs out; tests wait on outcomes, never on time. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined>, attempts = 150, pauseMs = 200): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function assertNoErrors(body: GraphQLBody<unknown>): void {
  if (body.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
}
