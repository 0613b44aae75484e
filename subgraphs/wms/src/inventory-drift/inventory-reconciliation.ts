import type { WmsConnector } from '@crossdock/connectors';
import type { ExceptionStore } from '@crossdock/exceptions';
import type { ReservationStore, StockLedgerListing } from '@crossdock/reservations';
import type { Logger } from '@crossdock/service';
import { countReconciliation, publishInventoryDrift } from '@crossdock/telemetry';
import { compareSku, emptyDriftReport, type DriftPosition, type DriftReport } from './drift-report';

/** The hub's own view of stock: its reservation ledger (Redis, or in process in all-in-one). */
export type HubStockView = Pick<ReservationStore, 'readStock' | 'pendingBySku'> & StockLedgerListing;

/** How the WMS subgraph runs the reconciliation (INVENTORY_RECONCILE_INTERVAL_MS, INVENTORY_DRIFT_THRESHOLD). */
export interface InventoryReconciliationOptions {
  wms: WmsConnector;
  hub: HubStockView;
  /** Where drift past the threshold is recorded for operators; null: only metrics and the report. */
  exceptions: ExceptionStore | null;
  /** Units of on-hand or reserved drift from which a position is recorded as an exception. */
  thresholdUnits: number;
  /** How often it runs by itself; 0: only on demand. */
  intervalMs: number;
  logger: Logger;
}

/** SKUs per WMS call, the WMS's batch limit. */
const SKUS_PER_CALL = 100;

/**
 * The inventory drift reconciliation: compares, per SKU and warehouse, the stock the hub works
 * with (its ledger: on hand and confirmed reservations as last loaded from the WMS) with what the
 * WMS says now. A receipt or count the hub never heard of shows up as on-hand drift. Exports the
 * drift as gauges, keeps the last report for operators, and records an `inventory-drift`
 * exception for every position past the threshold (one open exception per position: a repeat
 * adds to it). Runs every `intervalMs` and on demand; one run at a time.
 */
export class InventoryReconciliation {
  private report: DriftReport;
  private running: Promise<DriftReport> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: InventoryReconciliationOptions) {
    this.report = emptyDriftReport(options.thresholdUnits);
  }

  /** The last run's report. */
  last(): DriftReport {
    return this.report;
  }

  /** Runs now, or joins the run under way. Never rejects: a failed run is a report with `error`. */
  run(): Promise<DriftReport> {
    this.running ??= this.reconcile().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async reconcile(): Promise<DriftReport> {
    const started = Date.now();
    const base = { ranAt: new Date(started).toISOString(), threshold: this.options.thresholdUnits };
    try {
      const skus = await this.options.hub.ledgerSkus();
      let positionsChecked = 0;
      const drifting: DriftPosition[] = [];
      for (let i = 0; i < skus.length; i += SKUS_PER_CALL) {
        const chunk = skus.slice(i, i + SKUS_PER_CALL);
        const found = await this.compareChunk(chunk);
        positionsChecked += found.compared;
        drifting.push(...found.drifting);
      }
      await this.recordExceptions(drifting);
      const warehouses = (await this.options.wms.listWarehouses()).map((w) => w.id);
      publishInventoryDrift(warehouses, drifting);
      countReconciliation(true);
      this.report = { ...base, durationMs: Date.now() - started, skusChecked: skus.length, positionsChecked, drifting, error: null };
      if (drifting.length > 0) this.options.logger.warn({ drifting: drifting.length, positionsChecked }, 'inventory reconciliation found drift');
    } catch (error) {
      countReconciliation(false);
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ err: error }, 'inventory reconciliation failed; next run tries again');
      this.report = { ...emptyDriftReport(this.options.thresholdUnits), ...base, durationMs: Date.now() - started, error: reason };
    }
    return this.report;
  }

  private async compareChunk(skus: readonly string[]): Promise<{ compared: number; drifting: DriftPosition[] }> {
    // The ledger first: a movement landing between the two reads then looks like drift for one
    // run at most, never the other way round (a real drift hidden).
    const [ledger, pending] = await Promise.all([this.options.hub.readStock(skus), this.options.hub.pendingBySku(skus)]);
    const positions = await this.options.wms.positionsBySkus(skus);
    let compared = 0;
    const drifting: DriftPosition[] = [];
    skus.forEach((sku, index) => {
      const result = compareSku(sku, ledger.get(sku)?.levels ?? [], positions[index] ?? [], pending.get(sku));
      compared += result.compared;
      drifting.push(...result.drifting);
    });
    return { compared, drifting };
  }

  /** Records an exception per position past the threshold; a store that fails leaves them in the report. */
  private async recordExceptions(drifting: DriftPosition[]): Promise<void> {
    const { exceptions, thresholdUnits } = this.options;
    if (!exceptions) return;
    for (const position of drifting) {
      if (Math.abs(position.onHandDrift) < thresholdUnits && Math.abs(position.reservedDrift) < thresholdUnits) continue;
      try {
        const { exception } = await exceptions.record({
          kind: 'inventory-drift',
          subject: `${position.sku}@${position.warehouseId}`,
          warehouseId: position.warehouseId,
          reason: `WMS on hand ${position.wmsOnHand}, hub ${position.hubOnHand} (drift ${position.onHandDrift}); WMS reserved ${position.wmsReserved}, hub ${position.hubReserved} (drift ${position.reservedDrift})`,
          rawPayload: JSON.stringify(position),
        });
        position.exceptionId = exception.id;
      } catch (error) {
        this.options.logger.error({ err: error, sku: position.sku, warehouseId: position.warehouseId }, 'inventory drift past the threshold could not be recorded as an exception');
      }
    }
  }
}
