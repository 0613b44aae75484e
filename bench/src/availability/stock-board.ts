import type { AtpReader, WarehouseAtp } from '@crossdock/availability';
import { EventPublisher, type EventStreams } from '@crossdock/events';

/** The benchmark's warehouses. */
export const BENCH_WAREHOUSES = ['WH-EAST', 'WH-CENTRAL', 'WH-WEST'] as const;

/**
 * The benchmark's WMS: ATP of `skus` SKUs in three warehouses, held in this process (the WMS
 * simulator seeds only 200 SKUs), whose every change is appended to the real inventory stream
 * in Redis as the WMS subgraph would, so the feeds learn of it through the event bus.
 */
export class StockBoard implements AtpReader {
  private readonly atp = new Map<string, Map<string, number>>();
  private readonly publisher: EventPublisher;
  private movements = 0;

  constructor(
    readonly skus: readonly string[],
    streams: EventStreams,
  ) {
    for (const sku of skus) this.atp.set(sku, new Map(BENCH_WAREHOUSES.map((w, i) => [w, 40 + ((sku.length + i * 7) % 60)])));
    this.publisher = new EventPublisher(streams, async (failure) => console.error('bench: an event was refused', failure.error));
  }

  async read(skus: readonly string[]): Promise<Map<string, WarehouseAtp>> {
    return new Map(skus.map((sku) => [sku, new Map(this.atp.get(sku) ?? [])]));
  }

  /** A receipt or a pick of one SKU in one warehouse, published as an `inventory.changed` event. */
  async move(sku: string, warehouseId: string, delta: number): Promise<void> {
    const levels = this.atp.get(sku);
    if (!levels) throw new Error(`unknown SKU ${sku}`);
    const onHand = Math.max(0, (levels.get(warehouseId) ?? 0) + delta);
    levels.set(warehouseId, onHand);
    this.movements += 1;
    const at = new Date().toISOString();
    await this.publisher.publish('inventory', {
      type: 'inventory.changed',
      movementId: `bench-${this.movements}`,
      movementType: 'ADJUST',
      delta,
      reservedDelta: 0,
      orderId: null,
      position: { sku, warehouseId, onHand, reserved: 0, safetyStock: 0, updatedAt: at },
      at,
    });
  }
}
