import { HttpError, Router, stringListField } from './http-kit';
import { CarrierNetwork } from './carrier-network';
import { startSimServer, type RunningSimulator, type SimulatorOptions } from './sim-server';
import { WebhookSender } from './webhook-sender';
import type { WorldShipment } from './world';

export { CARRIER_STATUS_CODES } from './carrier-network';

/** The carrier: camelCase JSON and two-letter status codes (see carrier-network.ts). */

/** Options of the carrier simulator. */
export interface ShippingSimulatorOptions extends SimulatorOptions {
  /** Receives a tracking notice after every scan (`/_admin/shipments/<id>/advance`, activity). */
  webhookUrl?: string;
  /** Signs notices: hex HMAC-SHA256 of the body in `X-Carrier-Signature`. */
  webhookSecret?: string;
}

const MAX_BATCH = 100;

function search(body: unknown, network: CarrierNetwork): WorldShipment[] {
  const ids = stringListField(body, 'shipmentIds', MAX_BATCH);
  const refs = stringListField(body, 'orderReferences', MAX_BATCH);
  if ((ids === null) === (refs === null)) {
    throw new HttpError(400, 'INVALID_REQUEST', 'send exactly one of "shipmentIds" or "orderReferences"');
  }
  if (ids) return ids.flatMap((id) => network.shipment(id) ?? []);
  return (refs ?? []).flatMap((ref) => network.shipmentsOf(ref));
}

/** The carrier simulator with its network, which the activity driver scans in process. */
export async function launchShipping(options: ShippingSimulatorOptions = {}): Promise<{ sim: RunningSimulator; network: CarrierNetwork }> {
  const notices = new WebhookSender(
    options.webhookUrl ? { url: options.webhookUrl, secret: options.webhookSecret, signatureHeader: 'X-Carrier-Signature' } : null,
    'sim-shipping',
  );
  const network = new CarrierNetwork(notices);
  const routes = new Router()
    .on('GET', '/v1/shipments/:shipmentId', (req) => {
      const shipment = network.shipment(req.params.shipmentId ?? '');
      if (!shipment) throw new HttpError(404, 'NOT_FOUND', `no shipment ${req.params.shipmentId ?? ''}`);
      return { body: { shipment: network.render(shipment) } };
    })
    .on('POST', '/v1/shipments/search', (req) => {
      const results = search(req.body, network).map((s) => network.render(s));
      return { body: { results, count: results.length } };
    });
  const admin = new Router().on('POST', '/_admin/shipments/:shipmentId/advance', (req) => ({
    body: { shipment: network.advance(req.params.shipmentId ?? '') },
  }));
  const sim = await startSimServer({
    ...options,
    name: 'sim-shipping',
    routes,
    admin,
    formatError: (_status, code, message) => ({ errors: [{ code: code.toUpperCase(), detail: message }] }),
    reset: () => network.reset(),
    onClose: () => network.close(),
  });
  return { sim, network };
}

/**
 * Starts the carrier simulator.
 *
 * - `GET /v1/shipments/{shipmentId}`
 * - `POST /v1/shipments/search` `{ "shipmentIds": [...] }` or `{ "orderReferences": [...] }`
 * - admin: `POST /_admin/shipments/{shipmentId}/advance`
 */
export async function startShippingSimulator(options: ShippingSimulatorOptions = {}): Promise<RunningSimulator> {
  return (await launchShipping(options)).sim;
}
