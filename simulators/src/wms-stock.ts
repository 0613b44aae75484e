import { randomUUID } from 'node:crypto';
import { availableOf } from '@crossdock/model';
import { HttpError } from './http-kit';
import { renderStock, type Adjustment, type AllocationRequest, type WmsFulfillment } from './wms-documents';
import type { WebhookSender } from './webhook-sender';
import { generateWorld, groupBy, type World, type WorldAllocation, type WorldPosition, type WorldWarehouse } from './world';

/**
 * The WMS's state: warehouses, stock positions and fulfilments. Every change of stock (receipt,
 * count, reservation, release) goes out as one stock-movement notice per position, the way a
 * real WMS feeds its integration partners.
 */

interface WmsIndex {
  warehouses: WorldWarehouse[];
  warehousesById: Map<string, WorldWarehouse>;
  skus: Set<string>;
  positionsBySku: Map<string, WorldPosition[]>;
  fulfillmentsByOrder: Map<string, WmsFulfillment>;
}

/** ADJUST changes on hand; RESERVE and RELEASE change reserved. */
type MovementType = 'ADJUST' | 'RESERVE' | 'RELEASE';

function indexWorld(world: World): WmsIndex {
  const warehouses = [...world.warehouses].sort((a, b) => a.priority - b.priority);
  const priority = new Map(warehouses.map((w) => [w.id, w.priority]));
  const positionsBySku = groupBy(world.positions, (p) => p.sku);
  // Seeded outbound orders came with their ship-to and channel, as the commerce platform sent them.
  const orders = new Map(world.orders.map((o) => [o.id, { customerCode: o.customerId, channel: o.channel }]));
  for (const list of positionsBySku.values()) list.sort((a, b) => (priority.get(a.warehouseId) ?? 0) - (priority.get(b.warehouseId) ?? 0));
  return {
    warehouses,
    warehousesById: new Map(warehouses.map((w) => [w.id, w])),
    skus: new Set(world.products.map((p) => p.sku)),
    positionsBySku,
    fulfillmentsByOrder: new Map(world.fulfillments.map((f) => [f.orderId, { ...f, shipTo: orders.get(f.orderId) ?? null }])),
  };
}

/** Wall-clock time for live movements, but never before the record's seeded history. */
function liveTime(previousMs: number): number {
  return Math.max(Date.now(), previousMs + 1000);
}

/** Sums quantities per SKU and warehouse, so two lines for one position are checked together. */
function perPosition(lines: readonly WorldAllocation[]): WorldAllocation[] {
  const sums = new Map<string, WorldAllocation>();
  for (const line of lines) {
    const key = `${line.sku}\u0000${line.warehouseId}`;
    const sum = sums.get(key);
    if (sum) sum.quantity += line.quantity;
    else sums.set(key, { ...line });
  }
  return [...sums.values()];
}

/** The WMS's stock and fulfilments; reset() restores the seeded world. */
export class WmsStock {
  private index = indexWorld(generateWorld());
  /**
   * The number of the last movement notice, as a WMS numbers its transactions: it only grows,
   * across resets and restarts too (it starts from the clock, in microseconds), so a receiver can
   * tell a notice that overtook an older one on the way.
   */
  private movementSeq = 0;

  constructor(private readonly notices: WebhookSender) {}

  reset(): void {
    this.index = indexWorld(generateWorld());
  }

  get warehouses(): readonly WorldWarehouse[] {
    return this.index.warehouses;
  }

  positionsOf(sku: string): readonly WorldPosition[] {
    return this.index.positionsBySku.get(sku) ?? [];
  }

  /** Every position, SKU by SKU (the activity picks receipts from it). */
  allPositions(): WorldPosition[] {
    return [...this.index.positionsBySku.values()].flat();
  }

  fulfillment(orderRef: string): WmsFulfillment | undefined {
    return this.index.fulfillmentsByOrder.get(orderRef);
  }

  /** A receipt or count; a SKU new to the warehouse gets a fresh position. */
  adjust({ sku, warehouseId, delta }: Adjustment): WorldPosition {
    if (!this.index.skus.has(sku)) throw new HttpError(400, 'unknown_item', `unknown sku ${JSON.stringify(sku)}`);
    if (!this.index.warehousesById.has(warehouseId)) throw new HttpError(400, 'unknown_warehouse', `unknown warehouseId ${JSON.stringify(warehouseId)}`);
    const positions = this.index.positionsBySku.get(sku) ?? [];
    let position = positions.find((p) => p.warehouseId === warehouseId);
    const onHand = (position?.onHand ?? 0) + delta;
    if (onHand < 0) throw new HttpError(400, 'negative_stock', `on hand would drop to ${onHand}`);
    if (!position) {
      position = { sku, warehouseId, onHand: 0, reserved: 0, safetyStock: 0, updatedAtMs: 0 };
      positions.push(position);
      this.index.positionsBySku.set(sku, positions);
    }
    position.onHand = onHand;
    position.updatedAtMs = liveTime(position.updatedAtMs);
    this.notify(position, 'ADJUST', delta, 0, null);
    return position;
  }

  /**
   * Reserves every line and opens the fulfilment in ALLOC, or changes nothing: a line its
   * warehouse cannot cover (on hand − reserved − safety) refuses the whole request. A repeat for
   * an order already allocated returns that allocation untouched, whatever the repeat says.
   */
  allocate(request: AllocationRequest): { fulfillment: WmsFulfillment; created: boolean } {
    const existing = this.index.fulfillmentsByOrder.get(request.orderRef);
    if (existing?.voided) throw new HttpError(409, 'order_voided', `order ${request.orderRef} is void and cannot be allocated again`);
    if (existing && existing.status !== 'UNALLOCATED') return { fulfillment: existing, created: false };
    for (const line of request.lines) {
      if (!this.index.skus.has(line.sku)) throw new HttpError(422, 'unknown_item', `unknown item_code ${line.sku}`);
      if (!this.index.warehousesById.has(line.warehouseId)) throw new HttpError(422, 'unknown_warehouse', `unknown warehouse_code ${line.warehouseId}`);
    }
    const wanted = perPosition(request.lines).map((want) => ({ want, position: this.positionsOf(want.sku).find((p) => p.warehouseId === want.warehouseId) }));
    const short = wanted.flatMap(({ want, position }) => {
      const available = position ? availableOf(position) : 0;
      return available < want.quantity ? [`${want.sku} at ${want.warehouseId}: ${available} available, ${want.quantity} requested`] : [];
    });
    if (short.length > 0) throw new HttpError(409, 'insufficient_stock', `order ${request.orderRef}: ${short.join('; ')}`);
    for (const { want, position } of wanted) {
      if (!position) continue;
      position.reserved += want.quantity;
      position.updatedAtMs = liveTime(position.updatedAtMs);
      this.notify(position, 'RESERVE', 0, want.quantity, request.orderRef);
    }
    const fulfillment: WmsFulfillment = existing ?? { orderId: request.orderRef, shipTo: null, status: 'UNALLOCATED', voided: false, allocations: [], updatedAtMs: 0 };
    fulfillment.shipTo = request.shipTo ?? fulfillment.shipTo;
    fulfillment.status = 'ALLOCATED';
    fulfillment.allocations = request.lines.map((line) => ({ ...line }));
    fulfillment.updatedAtMs = liveTime(fulfillment.updatedAtMs);
    this.index.fulfillmentsByOrder.set(fulfillment.orderId, fulfillment);
    return { fulfillment, created: true };
  }

  /**
   * Voids the order and releases what its allocation reserved. Once picking started the goods are
   * off the shelf, so the WMS refuses; a repeat releases nothing more.
   */
  cancel(orderRef: string): { fulfillment: WmsFulfillment; released: WorldAllocation[] } {
    const fulfillment = this.index.fulfillmentsByOrder.get(orderRef);
    if (!fulfillment) throw new HttpError(404, 'unknown_order', `no fulfilment for order_ref ${orderRef}`);
    if (fulfillment.voided) return { fulfillment, released: [] };
    if (fulfillment.status === 'PICKING' || fulfillment.status === 'PACKED') {
      throw new HttpError(409, 'picking_started', `order ${orderRef} is being picked; cancel it on the floor`);
    }
    if (fulfillment.status === 'PARTIALLY_SHIPPED' || fulfillment.status === 'SHIPPED') {
      throw new HttpError(409, 'already_shipped', `order ${orderRef} has shipped`);
    }
    const released = fulfillment.status === 'ALLOCATED' ? fulfillment.allocations : [];
    for (const line of perPosition(released)) {
      const position = this.positionsOf(line.sku).find((p) => p.warehouseId === line.warehouseId);
      if (!position) continue;
      // A count may have lowered the reservation meanwhile; reserved never goes negative.
      const freed = Math.min(position.reserved, line.quantity);
      position.reserved -= freed;
      position.updatedAtMs = liveTime(position.updatedAtMs);
      this.notify(position, 'RELEASE', 0, -freed, orderRef);
    }
    fulfillment.voided = true;
    fulfillment.status = 'UNALLOCATED';
    fulfillment.allocations = [];
    fulfillment.updatedAtMs = liveTime(fulfillment.updatedAtMs);
    return { fulfillment, released };
  }

  close(): Promise<void> {
    return this.notices.close();
  }

  private nextMovementSeq(): number {
    this.movementSeq = Math.max(this.movementSeq + 1, Date.now() * 1000);
    return this.movementSeq;
  }

  private notify(position: WorldPosition, type: MovementType, delta: number, reservedDelta: number, orderRef: string | null): void {
    this.notices.send({
      event: 'stock.movement',
      movement_id: randomUUID(),
      movement_seq: this.nextMovementSeq(),
      movement_type: type,
      delta,
      reserved_delta: reservedDelta,
      ...(orderRef === null ? {} : { order_ref: orderRef }),
      ...renderStock(position),
    });
  }
}
