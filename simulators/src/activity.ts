import { CHANNELS } from '@crossdock/model';
import type { CarrierNetwork } from './carrier-network';
import type { OrderDraft } from './commerce-documents';
import type { CommerceStore } from './commerce-store';
import { Prng } from './prng';
import type { WmsStock } from './wms-stock';
import { WORLD_CURRENCY, WORLD_SEED } from './world';

/**
 * The lively demo of CONTRACT.md (`SIM_ACTIVITY=1`): now and then a receipt lands in the WMS, the
 * carrier scans a parcel, a shopper places an order in the store. Each event goes through the
 * same code as its admin or API route, so the hub hears of it exactly as it would then (the WMS
 * and carrier webhooks fire). Choices come from a seeded PRNG, so a run is reproducible up to
 * what other clients change meanwhile.
 */

/** How the activity driver runs. */
export interface ActivityOptions {
  /** Seed of the driver's PRNG. Default: derived from the world's seed. */
  seed?: number;
  /** Shortest pause between two events. Default 1000 ms. */
  minDelayMs?: number;
  /** Longest pause between two events. Default 3000 ms: lively, but a person can follow it. */
  maxDelayMs?: number;
}

/** The simulators' state the driver moves, in process (no HTTP: activity is not client traffic). */
export interface ActivityTargets {
  stock: WmsStock;
  network: CarrierNetwork;
  store: CommerceStore;
}

/** A running driver; stop() cancels the next event. */
export interface RunningActivity {
  stop(): void;
}

/** Receipts and scans are everyday; new orders a little rarer. */
const EVENTS = ['receipt', 'receipt', 'scan', 'scan', 'order'] as const;

function shopperOrder(store: CommerceStore, prng: Prng, sequence: number): OrderDraft {
  // Held accounts cannot order in the store, so shoppers are drawn from open accounts.
  const customer = prng.pick(store.customers.filter((c) => !c.onHold));
  const channel = prng.pick(CHANNELS);
  const discount = channel === 'marketplace' ? 0 : customer.discountPercent;
  const products = prng.shuffle(store.sellable).slice(0, prng.int(1, 3));
  const name = `ORD-S${sequence.toString().padStart(5, '0')}`;
  return {
    name,
    sourceName: channel,
    sourceIdentifier: `${channel.toUpperCase()}-S${sequence}`,
    status: 'ACCEPTED',
    customerId: customer.id,
    currency: WORLD_CURRENCY,
    createdAtMs: Date.now(),
    lines: products.map((p) => ({ sku: p.sku, quantity: prng.int(1, 12), priceCents: Math.round((p.listPriceCents * (100 - discount)) / 100) })),
  };
}

/** Starts the driver; its timer never keeps the process alive on its own. */
export function startActivity(targets: ActivityTargets, options: ActivityOptions = {}): RunningActivity {
  const minDelayMs = options.minDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 3_000;
  if (!Number.isInteger(minDelayMs) || !Number.isInteger(maxDelayMs) || minDelayMs < 1 || maxDelayMs < minDelayMs) {
    throw new RangeError(`activity delays must be integers with 1 ≤ min ≤ max, got ${minDelayMs}–${maxDelayMs} ms`);
  }
  const prng = new Prng(options.seed ?? WORLD_SEED + 1);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let orders = 0;

  const step = (): void => {
    const kind = prng.pick(EVENTS);
    if (kind === 'receipt') {
      const position = prng.pick(targets.stock.allPositions());
      targets.stock.adjust({ sku: position.sku, warehouseId: position.warehouseId, delta: prng.int(6, 48) });
    } else if (kind === 'scan') {
      const moving = targets.network.movingShipmentIds();
      if (moving.length > 0) targets.network.advance(prng.pick(moving));
    } else {
      orders += 1;
      targets.store.create(shopperOrder(targets.store, prng, orders));
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      try {
        step();
      } catch (error) {
        // One odd event (say, a parcel another client just delivered) must not end the demo.
        console.warn('sim-activity: event failed:', error instanceof Error ? error.message : error);
      }
      schedule();
    }, prng.int(minDelayMs, maxDelayMs));
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
