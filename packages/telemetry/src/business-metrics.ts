import { Counter, Gauge, Histogram } from 'prom-client';
import { BoundedLabel } from './bounded-label';
import { hubRegistry } from './registry';

/** Cycle-time buckets in seconds: a second to a week (orders move in seconds in a drill, days in life). */
const CYCLE_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400];
/** Delay buckets in seconds for postings and confirmations: 100 ms to a day. */
const DELAY_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86_400];

/** Channels come from callers; a bounded set keeps the series countable. */
const channels = new BoundedLabel(50);
const warehouses = new BoundedLabel(100);

/** The milestones of an order's life that the hub times, each from the previous one. */
export const ORDER_CYCLE_STAGES = ['placed_to_allocated', 'allocated_to_shipped', 'shipped_to_delivered', 'placed_to_delivered'] as const;
export type OrderCycleStage = (typeof ORDER_CYCLE_STAGES)[number];

/** Where a posting is waiting, per backend: what OrderStore.depth() answers. */
export type OutboxDepth = Record<string, { queued: number; oldestAgeMs: number | null }>;

/** One (SKU, warehouse) the inventory reconciliation found drifting, for the per-position gauge. */
export interface DriftingPosition {
  sku: string;
  warehouseId: string;
  /** WMS on hand minus the hub's on hand. */
  onHandDrift: number;
  /** WMS reserved minus the hub's confirmed reservations. */
  reservedDrift: number;
}

let outboxSource: (() => Promise<OutboxDepth>) | null = null;

function created<T>(factory: () => T): () => T {
  let instance: T | null = null;
  return () => (instance ??= factory());
}

const metrics = created(() => {
  const registers = [hubRegistry()];
  return {
    cycleSeconds: new Histogram({
      name: 'crossdock_order_cycle_seconds',
      help: 'Order cycle time by channel and stage (placed → allocated → shipped → delivered), as the hub observed each milestone.',
      labelNames: ['channel', 'stage'] as const,
      buckets: CYCLE_BUCKETS,
      registers,
    }),
    erpPostingLag: new Histogram({
      name: 'crossdock_erp_posting_lag_seconds',
      help: 'From an order being placed to the ERP taking its posting, by channel.',
      labelNames: ['channel'] as const,
      buckets: DELAY_BUCKETS,
      registers,
    }),
    shipmentConfirmationDelay: new Histogram({
      name: 'crossdock_shipment_confirmation_delay_seconds',
      help: 'From a carrier milestone (as the carrier dates it) to the hub learning of it, by carrier and status.',
      labelNames: ['carrier', 'status'] as const,
      buckets: DELAY_BUCKETS,
      registers,
    }),
    exceptions: new Counter({
      name: 'crossdock_exceptions_recorded_total',
      help: 'Items the hub could not process, recorded in the exception store, by kind, channel and warehouse.',
      labelNames: ['kind', 'channel', 'warehouse'] as const,
      registers,
    }),
    driftUnits: new Gauge({
      name: 'crossdock_inventory_drift_units',
      help: "Inventory drift per warehouse at the last reconciliation: sum over SKUs of |WMS − hub| units, by measure (on_hand, reserved).",
      labelNames: ['warehouse', 'measure'] as const,
      registers,
    }),
    driftPositions: new Gauge({
      name: 'crossdock_inventory_drift_positions',
      help: 'Positions (SKU × warehouse) whose hub view differs from the WMS at the last reconciliation, by warehouse.',
      labelNames: ['warehouse'] as const,
      registers,
    }),
    driftBySku: new Gauge({
      name: 'crossdock_inventory_drift_sku_units',
      help: 'On-hand drift (WMS − hub) of the worst drifting positions at the last reconciliation (at most 50 series).',
      labelNames: ['sku', 'warehouse'] as const,
      registers,
    }),
    reconciliations: new Counter({
      name: 'crossdock_inventory_reconciliations_total',
      help: 'Inventory reconciliation runs, by outcome (ok, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
});

const outboxGauges = created(() => {
  const registers = [hubRegistry()];
  const oldest = new Gauge({
    name: 'crossdock_outbox_oldest_age_seconds',
    help: 'Age of the oldest posting waiting in the outbox, by target backend (0 when none waits).',
    labelNames: ['target'] as const,
    registers,
  });
  const depth = new Gauge({
    name: 'crossdock_outbox_depth',
    help: 'Postings waiting in the outbox (QUEUED), by target backend.',
    labelNames: ['target'] as const,
    registers,
    // Read from the order store at each scrape; one query for both gauges.
    async collect() {
      if (!outboxSource) return;
      const now = await outboxSource().catch(() => null);
      if (!now) return;
      for (const [target, { queued, oldestAgeMs }] of Object.entries(now)) {
        this.set({ target }, queued);
        oldest.set({ target }, (oldestAgeMs ?? 0) / 1000);
      }
    },
  });
  return { depth, oldest };
});

/** Records one milestone interval of an order's cycle (negative intervals, a clock skew, are dropped). */
export function observeOrderCycle(channel: string, stage: OrderCycleStage, seconds: number): void {
  if (seconds >= 0) metrics().cycleSeconds.observe({ channel: channels.value(channel), stage }, seconds);
}

/** Records the time from placement to the ERP taking the order. */
export function observeErpPostingLag(channel: string, seconds: number): void {
  if (seconds >= 0) metrics().erpPostingLag.observe({ channel: channels.value(channel) }, seconds);
}

/** Records how late the hub learned of a carrier milestone. */
export function observeShipmentConfirmationDelay(carrier: string, status: string, seconds: number): void {
  if (seconds >= 0) metrics().shipmentConfirmationDelay.observe({ carrier: channels.value(carrier), status }, seconds);
}

/** Counts one exception recorded (a new one, not a repeat of one already open). */
export function countException(kind: string, channel: string | null, warehouseId: string | null): void {
  metrics().exceptions.inc({ kind, channel: channels.value(channel), warehouse: warehouses.value(warehouseId) });
}

/**
 * Reports the outbox's depth and oldest item from `source` (OrderStore.depth) at each scrape.
 * One source per process; a later call replaces it.
 */
export function trackOutbox(source: (() => Promise<OutboxDepth>) | null): void {
  outboxSource = source;
  outboxGauges();
}

/** Most per-position drift series kept: the worst ones. */
const MAX_DRIFT_SERIES = 50;

/**
 * Publishes one reconciliation's result: totals per warehouse over `warehouseIds` (zero where
 * nothing drifts) and the worst drifting positions.
 */
export function publishInventoryDrift(warehouseIds: readonly string[], drifting: readonly DriftingPosition[]): void {
  const m = metrics();
  m.driftUnits.reset();
  m.driftPositions.reset();
  m.driftBySku.reset();
  for (const warehouseId of new Set([...warehouseIds, ...drifting.map((d) => d.warehouseId)])) {
    const here = drifting.filter((d) => d.warehouseId === warehouseId);
    const warehouse = warehouses.value(warehouseId);
    m.driftPositions.set({ warehouse }, here.length);
    m.driftUnits.set({ warehouse, measure: 'on_hand' }, here.reduce((sum, d) => sum + Math.abs(d.onHandDrift), 0));
    m.driftUnits.set({ warehouse, measure: 'reserved' }, here.reduce((sum, d) => sum + Math.abs(d.reservedDrift), 0));
  }
  const worst = [...drifting].sort((a, b) => Math.abs(b.onHandDrift) - Math.abs(a.onHandDrift)).slice(0, MAX_DRIFT_SERIES);
  for (const d of worst) m.driftBySku.set({ sku: d.sku, warehouse: warehouses.value(d.warehouseId) }, d.onHandDrift);
}

/** Counts one reconciliation run. */
export function countReconciliation(ok: boolean): void {
  metrics().reconciliations.inc({ outcome: ok ? 'ok' : 'failed' });
}

/** Creates every business series up front, so dashboards see zeros, not gaps. */
export function registerBusinessMetrics(): void {
  metrics();
  outboxGauges();
}
