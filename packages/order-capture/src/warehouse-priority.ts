import { isOutage, type WmsConnector } from '@crossdock/connectors';
import { OrderCaptureError } from './capture-types';

/**
 * The WMS's warehouses in shipping priority order (best first), the candidates of every
 * reservation. The list changes only when a warehouse opens or closes, so it is reused for
 * `ttlMs` instead of costing a WMS call per order; concurrent orders share one refresh, and
 * while the WMS is down the last list known is used however old it is.
 */
export class WarehousePriority {
  private known: { ids: string[]; at: number } | null = null;
  private refreshing: Promise<string[]> | null = null;

  constructor(
    private readonly wms: WmsConnector,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Warehouse ids, best priority first. */
  async ids(): Promise<string[]> {
    if (this.known && this.clock() - this.known.at <= this.ttlMs) return this.known.ids;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<string[]> {
    try {
      const warehouses = await this.wms.listWarehouses();
      const ids = [...warehouses].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1)).map((w) => w.id);
      this.known = { ids, at: this.clock() };
      return ids;
    } catch (error) {
      if (this.known) return this.known.ids;
      if (!isOutage(error)) throw error;
      throw new OrderCaptureError('BACKEND_UNAVAILABLE', 'The WMS is unavailable; stock cannot be reserved. Try again shortly.', 'wms', { cause: error });
    }
  }
}
