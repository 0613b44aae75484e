import { toIsoUtc } from '@crossdock/model';
import { generateWorld, type WorldPosition } from '@crossdock/simulators';

/** The seeded world the WMS simulator serves, and what its stock means in the hub's terms. */
export const world = generateWorld();

const priorityOf = new Map(world.warehouses.map((w) => [w.id, w.priority]));

/** `available` as CONTRACT.md defines it, computed independently of the subgraph. */
export const availableIn = (p: WorldPosition): number => Math.max(0, p.onHand - p.reserved - p.safetyStock);

/** A SKU's positions, highest warehouse priority first. */
export function positionsOf(sku: string): WorldPosition[] {
  return world.positions.filter((p) => p.sku === sku).sort((a, b) => (priorityOf.get(a.warehouseId) ?? 0) - (priorityOf.get(b.warehouseId) ?? 0));
}

export function totalAvailable(sku: string): number {
  return positionsOf(sku).reduce((sum, p) => sum + availableIn(p), 0);
}

/** The WMS reports movements in whole seconds. */
export const updatedAtOf = (p: WorldPosition): string => toIsoUtc(Math.floor(p.updatedAtMs / 1000) * 1000);

export function warehouseName(id: string): string {
  const warehouse = world.warehouses.find((w) => w.id === id);
  if (!warehouse) throw new Error(`no warehouse ${id} in the world`);
  return warehouse.name;
}
