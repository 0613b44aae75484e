import { randomUUID } from 'node:crypto';
import type { Identity } from '@crossdock/auth';
import { availableOf } from '@crossdock/model';
import type { PlacedOrder } from '@crossdock/orders';
import type { RunningSimulator } from '@crossdock/simulators';
import type { GraphQLFormattedError } from 'graphql';
import type { CaptureHarness } from './capture-harness';
import { world } from './harness';

export const PLACE_ORDER = /* GraphQL */ `
  mutation Place($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order { id channel externalRef status placedAt customer { id } lines { lineNumber sku quantity } }
      errors { code message field }
    }
  }
`;

export const CANCEL_ORDER = /* GraphQL */ `
  mutation Cancel($id: ID!, $reason: String) {
    cancelOrder(id: $id, reason: $reason) {
      order { id status channel customer { id } }
      errors { code message field }
    }
  }
`;

export interface PayloadOrder {
  id: string;
  channel: string;
  externalRef: string | null;
  status: string;
  placedAt: string;
  customer: { id: string };
  lines: { lineNumber: number; sku: string; quantity: number }[];
}

export interface PayloadError {
  code: string;
  message: string;
  field: string[] | null;
}

export interface Payload {
  order: PayloadOrder | null;
  errors: PayloadError[];
}

export interface OrderInput {
  idempotencyKey?: string;
  channel?: string;
  externalRef?: string | null;
  customerId?: string;
  lines: { sku: string; quantity: number }[];
}

/** A customer in good standing with plenty of credit (world seed), and a channel it orders on. */
export const GOOD_CUSTOMER = 'CUST-0004';

/** A fresh idempotency key. */
export const newKey = (): string => `key-${randomUUID()}`;

/** A caller allowed to place orders, with optional customer/channel restrictions. */
export function writer(overrides: Partial<Identity> = {}): Identity {
  return { subject: 'capture-test', scopes: ['orders:read', 'orders:write'], customerId: null, channel: null, ...overrides };
}

/** Sends placeOrder; returns the payload (null when the request failed as a whole) and the GraphQL errors. */
export async function placeOrder(h: CaptureHarness, input: OrderInput, caller: Identity | null = null): Promise<{ payload: Payload | null; errors: readonly GraphQLFormattedError[] }> {
  const full = { idempotencyKey: newKey(), channel: 'web', externalRef: null, customerId: GOOD_CUSTOMER, ...input };
  const result = await h.run<{ placeOrder: Payload }>(PLACE_ORDER, { input: full }, caller);
  return { payload: result.data?.placeOrder ?? null, errors: result.errors ?? [] };
}

/** placeOrder that must be accepted; returns the order. */
export async function placeAccepted(h: CaptureHarness, input: OrderInput, caller: Identity | null = null): Promise<PayloadOrder> {
  const { payload, errors } = await placeOrder(h, input, caller);
  if (!payload?.order) throw new Error(`expected an accepted order, got ${JSON.stringify({ payload, errors })}`);
  return payload.order;
}

/** Sends cancelOrder. */
export async function cancelOrder(h: CaptureHarness, id: string, reason: string | null, caller: Identity | null = null) {
  const result = await h.run<{ cancelOrder: { order: { id: string; status: string } | null; errors: PayloadError[] } }>(CANCEL_ORDER, { id, reason }, caller);
  return { payload: result.data?.cancelOrder ?? null, errors: result.errors ?? [] };
}

/** `{code, field}` of each UserError, for compact assertions. */
export const codesAndFields = (errors: readonly PayloadError[]) => errors.map(({ code, field }) => ({ code, field }));

/** The stored order. */
export async function stored(h: CaptureHarness, id: string): Promise<PlacedOrder> {
  const [order] = await h.stores.orderStore.get([id]);
  if (!order) throw new Error(`order ${id} is not in the order store`);
  return order;
}

/** What the WMS itself reports for a SKU, summed over warehouses. */
export async function wmsStock(h: CaptureHarness, sku: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const [positions = []] = await h.wms.positionsBySkus([sku]);
  return positions.reduce(
    (sum, p) => ({ onHand: sum.onHand + p.onHand, reserved: sum.reserved + p.reserved, available: sum.available + availableOf(p) }),
    { onHand: 0, reserved: 0, available: 0 },
  );
}

/** Available to promise as the hub sees it: the WMS's available less reservations it has not confirmed yet. */
export async function hubAvailable(h: CaptureHarness, sku: string): Promise<number> {
  const [{ available }, pending] = await Promise.all([wmsStock(h, sku), h.capture.reservations.pendingBySku([sku])]);
  const unconfirmed = [...(pending.get(sku)?.values() ?? [])].reduce((a, b) => a + b, 0);
  return available - unconfirmed;
}

/** The ERP simulator's record of postings for a hub order id: create requests and the sales orders that exist. */
export async function erpPostings(sim: RunningSimulator, orderId: string): Promise<{ requests: number; salesOrderNos: string[] }> {
  const response = await fetch(`${sim.url}/_admin/salesorders?externalRef=${encodeURIComponent(orderId)}`);
  const body = (await response.json()) as { postings: { requests: number; salesOrderNos: string[] }[] }; // the ERP simulator's admin shape
  const posting = body.postings[0];
  return posting ? { requests: posting.requests, salesOrderNos: posting.salesOrderNos } : { requests: 0, salesOrderNos: [] };
}

/** A receipt or count in the WMS (CONTRACT.md: POST /_admin/adjust). */
export async function adjustStock(sim: RunningSimulator, sku: string, warehouseId: string, delta: number): Promise<void> {
  const response = await fetch(`${sim.url}/_admin/adjust`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku, warehouseId, delta }) });
  if (!response.ok) throw new Error(`adjust answered ${response.status}: ${await response.text()}`);
}

/**
 * Sets a SKU's total available to exactly `target` with WMS adjustments: all of it in the SKU's
 * first warehouse, none in the others.
 */
export async function setAvailable(h: CaptureHarness, sku: string, target: number): Promise<void> {
  const [positions = []] = await h.wms.positionsBySkus([sku]);
  for (const [i, position] of positions.entries()) {
    const free = position.onHand - position.reserved - position.safetyStock;
    const delta = (i === 0 ? target : 0) - free;
    if (delta !== 0) await adjustStock(h.sims.wms, sku, position.warehouseId, delta);
  }
  if ((await wmsStock(h, sku)).available !== target) throw new Error(`could not set ${sku} to ${target} available`);
}

/** A sellable SKU of the seeded world, by position in the catalogue, for tests that each need their own. */
export function sellableSku(index: number): string {
  const sellable = world.products.filter((p) => p.sellable);
  const product = sellable[index];
  if (!product) throw new Error(`the world has no sellable product #${index}`);
  return product.sku;
}

/** Polls `check` until it returns a value, for up to `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A decimal string ("12.5", "0.1234") in ten-thousandths, computed here independently of the model's helpers. */
export function tenThousandths(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
}
