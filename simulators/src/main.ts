import { startSimulators } from './index';

/**
 * Runs the four simulators as one process (`npx tsx simulators/src/main.ts`). Config is read once
 * here; each simulator prints one JSON line with its port so scripts can find it.
 */

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number (0–65535), got "${raw}"`);
  return port;
}

function latencyFrom(name: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${name} must be a non-negative number of milliseconds, got "${raw}"`);
  return ms;
}

/** `SIM_ACTIVITY=1` turns the lively demo on; anything but 1/true/0/false is a typo worth stopping for. */
function activityFrom(name: string): boolean {
  const raw = (process.env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${name} must be 1 or 0 (true or false), got "${process.env[name] ?? ''}"`);
}

async function main(): Promise<void> {
  const activity = activityFrom('SIM_ACTIVITY');
  const sims = await startSimulators({
    host: process.env.SIM_HOST ?? '127.0.0.1',
    latencyMs: latencyFrom('SIM_LATENCY_MS'),
    ports: {
      erp: portFrom('SIM_ERP_PORT', 4101),
      wms: portFrom('SIM_WMS_PORT', 4102),
      commerce: portFrom('SIM_COMMERCE_PORT', 4103),
      shipping: portFrom('SIM_SHIPPING_PORT', 4104),
    },
    wmsWebhookUrl: process.env.SIM_WMS_WEBHOOK_URL || undefined,
    shippingWebhookUrl: process.env.SIM_SHIPPING_WEBHOOK_URL || undefined,
    webhookSecret: process.env.SIM_WEBHOOK_SECRET || undefined,
    activity,
  });
  if (activity) process.stderr.write('simulators: SIM_ACTIVITY is on (a receipt, scan or new store order every 1–3 s)\n');
  for (const [service, sim] of [['sim-erp', sims.erp], ['sim-wms', sims.wms], ['sim-commerce', sims.commerce], ['sim-shipping', sims.shipping]] as const) {
    process.stdout.write(`${JSON.stringify({ service, port: sim.port, url: sim.url })}\n`);
  }
  const stop = (): void => {
    sims.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('simulators failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
