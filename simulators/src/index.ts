import { startCommerceSimulator } from './commerce-simulator';
import { startErpSimulator } from './erp-simulator';
import type { RunningSimulator, SimulatorOptions } from './sim-server';
import { startShippingSimulator } from './shipping-simulator';
import { startWmsSimulator } from './wms-simulator';

export { startErpSimulator, type ErpSimulatorOptions } from './erp-simulator';
export { startWmsSimulator, type WmsSimulatorOptions } from './wms-simulator';
export { startCommerceSimulator, COMMERCE_STATUS, type CommerceSimulatorOptions } from './commerce-simulator';
export { startShippingSimulator, CARRIER_STATUS_CODES, type ShippingSimulatorOptions } from './shipping-simulator';
export type { RunningSimulator, SimulatorOptions } from './sim-server';
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
}

/** The four started simulators; close() stops them all. */
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
  const started = await Promise.allSettled([
    startErpSimulator({ ...base, port: ports.erp }),
    startWmsSimulator({ ...base, port: ports.wms, webhookUrl: options.wmsWebhookUrl, webhookSecret: options.webhookSecret }),
    startCommerceSimulator({ ...base, port: ports.commerce }),
    startShippingSimulator({ ...base, port: ports.shipping, webhookUrl: options.shippingWebhookUrl, webhookSecret: options.webhookSecret }),
  ]);
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const [erp, wms, commerce, shipping] = running;
  if (!erp || !wms || !commerce || !shipping) {
    await Promise.all(running.map((s) => s.close()));
    const failure = started.find((s) => s.status === 'rejected');
    throw failure?.status === 'rejected' ? failure.reason : new Error('a simulator failed to start');
  }
  return {
    erp,
    wms,
    commerce,
    shipping,
    close: async () => {
      await Promise.all(running.map((s) => s.close()));
    },
  };
}
