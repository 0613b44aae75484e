import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { RedisReservationStore } from '@crossdock/reservations';
import { startRedis, type BackingService } from '@crossdock/testkit';
import { startWmsHarness, type WmsHarness } from './harness';
import { positionsOf, world } from './world-stock';

let redis: BackingService;
let reservations: RedisReservationStore;
let wms: WmsHarness;
const unavailable: unknown[] = [];

beforeAll(async () => {
  redis = await startRedis();
  reservations = await RedisReservationStore.connect({ url: redis.url, onConnectionError: () => undefined });
  wms = await startWmsHarness({ pending: reservations, onPendingUnavailable: (error) => unavailable.push(error) });
});
afterAll(async () => {
  await wms?.close();
  await reservations?.close();
  await redis?.stop();
});

it('serves positions without the pending part, and says so, while Redis is down', async () => {
  const position = world.positions.find((p) => p.onHand - p.reserved - p.safetyStock >= 3)!;
  const { sku, warehouseId } = position;
  await reservations.writeStock([{ sku, levels: positionsOf(sku), expectedVersion: null }], Date.now());
  const reserved = await reservations.reserve(
    { orderId: 'ORD-H-PENDING-1', lines: [{ lineNumber: 1, sku, quantity: 3 }], warehouses: [warehouseId], rule: 'priority-split', holdMs: 600_000 },
    Date.now(),
  );
  expect(reserved.status).toBe('reserved');
  const INVENTORY = /* GraphQL */ `query ($sku: ID!) { inventory(sku: $sku) { warehouse { id } reserved } }`;
  type Inventory = { inventory: { warehouse: { id: string }; reserved: number }[] };
  const reservedIn = (data: Inventory | null | undefined) => data?.inventory.find((p) => p.warehouse.id === warehouseId)?.reserved;

  const withPending = await wms.run<Inventory>(INVENTORY, { sku });
  expect(withPending.errors).toBeUndefined();
  expect(reservedIn(withPending.data)).toBe(position.reserved + 3);

  await redis.kill();
  const withoutPending = await wms.run<Inventory>(INVENTORY, { sku });
  expect(withoutPending.errors).toBeUndefined();
  expect(reservedIn(withoutPending.data)).toBe(position.reserved);
  expect(unavailable.length).toBeGreaterThan(0);
});
