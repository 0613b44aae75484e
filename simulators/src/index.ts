import { startActivity, type ActivityOptions } from './activity';
import { launchCommerce } from './commerce-simulator';
import { startErpSimulator } from './erp-simulator';
import type { RunningSimulator, SimulatorOptions } from './sim-server';
import { launchShipping } from './shipping-simulator';
import { launchWms } from './wms-simulator';

export { startErpSimulator, type ErpSimulatorOptions } from './erp-simulator';
export { startWmsSimulator, type WmsSimulatorOptions } from './wms-simulator';
export { startCommerceSimulator, COMMERCE_STATUS, type CommerceSimulatorOptions } from './commerce-simulator';
export { startShippingSimulator, CARRIER_STATUS_CODES, type ShippingSimulatorOptions } from './shipping-simulator';
export type { RunningSimulator, SimulatorOptions } from './sim-server';
export type { ActivityOptions } from './activity';
export { FAULT_MODES, type FaultMode, type FaultSettings } from './fault-switch';
export { signBody } from './webhook-sender';
export * from './world';

/** Options for starting all four simulators together. */
export interface SimulatorsOptions {
  host?: string;
  /** Base latency of every simulator. */
  latencyMs?: number;
  /** Ports; 0 or absent picks a free one. */
  ports?: { erp?: number; wms?: number; commerce?: number; shipping?: number };
  /** Where the WMS sends stock movements. */
  wmsWebhookUrl?: string;
  /** Where the carrier sends tracking updates. */
  shippingWebhookUrl?: string;
  /** Shared HMAC key for both webhooks. */
  webhookSecret?: string;
  /**
   * `SIM_ACTIVITY`: receipts, scans and new store orders on a timer (see activity.ts). Off by
   * default, because tests and benchmarks need a world that only they change.
   */
  activity?: boolean | ActivityOptions;
}

/** The four started simulators; close() stops the activity and them all. */
export interface RunningSimulators {
  erp: RunningSimulator;
  wms: RunningSimulator;
  commerce: RunningSimulator;
  shipping: RunningSimulator;
  close(): Promise<void>;
}

/** Starts the ERP, WMS, commerce and carrier simulators; if one fails, the others are closed. */
export async function startSimulators(options: SimulatorsOptions = {}): Promise<RunningSimulators> {
  const base: SimulatorOptions = { host: options.host, latencyMs: options.latencyMs };
  const ports = options.ports ?? {};
  const [erp, wms, commerce, shipping] = await Promise.allSettled([
    startErpSimulator({ ...base, port: ports.erp }),
    launchWms({ ...base, port: ports.wms, webhookUrl: options.wmsWebhookUrl, webhookSecret: options.webhookSecret }),
    launchCommerce({ ...base, port: ports.commerce }),
    launchShipping({ ...base, port: ports.shipping, webhookUrl: options.shippingWebhookUrl, webhookSecret: options.webhookSecret }),
  ]);
  if (erp.status !== 'fulfilled' || wms.status !== 'fulfilled' || commerce.status !== 'fulfilled' || shipping.status !== 'fulfilled') {
    const running = [erp.status === 'fulfilled' ? erp.value : null, ...[wms, commerce, shipping].map((s) => (s.status === 'fulfilled' ? s.value.sim : null))];
    await Promise.all(running.map((sim) => sim?.close()));
    const failure = [erp, wms, commerce, shipping].find((s) => s.status === 'rejected');
    throw failure?.status === 'rejected' ? failure.reason : new Error('a simulator failed to start');
  }
  const sims = [erp.value, wms.value.sim, commerce.value.sim, shipping.value.sim];
  const targets = { stock: wms.value.stock, network: shipping.value.network, store: commerce.value.store };
  let activity: ReturnType<typeof startActivity> | null = null;
  try {
    activity = options.activity ? startActivity(targets, options.activity === true ? {} : options.activity) : null;
  } catch (error) {
    await Promise.all(sims.map((s) => s.close()));
    throw error;
  }
  return {
    erp: erp.value,
    wms: wms.value.sim,
    commerce: commerce.value.sim,
    shipping: shipping.value.sim,
    close: async () => {
      activity?.stop();
      await Promise.all(sims.map((s) => s.close()));
    },
  };
}
export { MARKETPLACE_FEED_PATH, MARKETPLACE_NAME, marketplaceOrders } from './marketplace-feed';
