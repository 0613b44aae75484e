import { Prng } from './prng';
import { generateCatalog } from './world-catalog';
import { generateOrders } from './world-orders';
import { generateLogistics } from './world-logistics';
import { WORLD_SEED, type World } from './world-types';

export * from './world-types';

/**
 * Builds the seeded world. Same seed, same world: byte for byte, on every start. Each call
 * returns fresh objects, so a simulator may mutate its copy (adjust, advance) and reset by
 * generating again.
 */
export function generateWorld(seed: number = WORLD_SEED): World {
  const prng = new Prng(seed);
  const catalog = generateCatalog(prng);
  const orders = generateOrders(prng, catalog);
  const logistics = generateLogistics(prng, catalog, orders.orders);
  return {
    warehouses: catalog.warehouses,
    products: catalog.products,
    customers: catalog.customers,
    orders: orders.orders,
    invoices: logistics.invoices,
    positions: catalog.positions,
    fulfillments: logistics.fulfillments,
    shipments: logistics.shipments,
  };
}

/** Groups items by a key, keeping their order; the simulators' indexes are built with it. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
