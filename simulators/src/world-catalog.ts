import type { Prng } from './prng';
import {
  WORLD_EPOCH_MS,
  type Place,
  type WorldCustomer,
  type WorldPosition,
  type WorldProduct,
  type WorldWarehouse,
} from './world-types';

/** Master data: where stock lives, what is sold, who buys. */
export interface Catalog {
  warehouses: WorldWarehouse[];
  products: WorldProduct[];
  sellable: WorldProduct[];
  customers: WorldCustomer[];
  positions: WorldPosition[];
  positionsBySku: Map<string, WorldPosition[]>;
  customersById: Map<string, WorldCustomer>;
  productsBySku: Map<string, WorldProduct>;
}

export const PRODUCT_COUNT = 200;
export const CUSTOMER_COUNT = 50;
const BLOCKED_PRODUCTS = 6;
const HELD_CUSTOMERS = 3;

const WAREHOUSES: WorldWarehouse[] = [
  { id: 'WH-EAST', name: 'East Coast DC', region: 'us-east', priority: 1, place: { city: 'Edison, NJ', utcOffset: '-05:00' } },
  { id: 'WH-CENTRAL', name: 'Central DC', region: 'us-central', priority: 2, place: { city: 'Columbus, OH', utcOffset: '-05:00' } },
  { id: 'WH-SOUTH', name: 'Southeast DC', region: 'us-south', priority: 3, place: { city: 'Atlanta, GA', utcOffset: '-05:00' } },
  { id: 'WH-WEST', name: 'West Coast DC', region: 'us-west', priority: 4, place: { city: 'Ontario, CA', utcOffset: '-08:00' } },
];

/** Customer ship-to cities; also where the carrier's last scans happen. */
export const DESTINATIONS: readonly Place[] = [
  { city: 'Boston, MA', utcOffset: '-05:00' },
  { city: 'Chicago, IL', utcOffset: '-06:00' },
  { city: 'Dallas, TX', utcOffset: '-06:00' },
  { city: 'Denver, CO', utcOffset: '-07:00' },
  { city: 'Phoenix, AZ', utcOffset: '-07:00' },
  { city: 'Seattle, WA', utcOffset: '-08:00' },
  { city: 'Miami, FL', utcOffset: '-05:00' },
  { city: 'Minneapolis, MN', utcOffset: '-06:00' },
  { city: 'Pittsburgh, PA', utcOffset: '-05:00' },
  { city: 'Portland, OR', utcOffset: '-08:00' },
];

const ADJECTIVES = ['Heavy-Duty', 'Compact', 'Industrial', 'Galvanized', 'Premium', 'Standard', 'Reinforced', 'Lightweight'];
const MATERIALS = ['Steel', 'Aluminum', 'Nylon', 'Brass', 'Polymer', 'Cedar', 'Copper', 'Rubber'];
const NOUNS = ['Shelf Bracket', 'Hinge', 'Pallet Wrap', 'Fastener Kit', 'Hose Clamp', 'Cable Tie', 'Caster Wheel', 'Storage Bin', 'Pipe Fitting', 'Work Glove'];
const COMPANY_PREFIXES = ['Northwind', 'Blue Ridge', 'Harbor', 'Summit', 'Prairie', 'Granite', 'Lakeside', 'Redwood', 'Ironclad', 'Evergreen'];
const COMPANY_SUFFIXES = ['Supply Co.', 'Hardware', 'Builders', 'Distributors', 'Facilities Inc.'];

function pad(value: number, width: number): string {
  return value.toString().padStart(width, '0');
}

function generateProducts(prng: Prng): WorldProduct[] {
  const blocked = new Set(prng.shuffle([...Array(PRODUCT_COUNT).keys()]).slice(0, BLOCKED_PRODUCTS));
  return Array.from({ length: PRODUCT_COUNT }, (_, i): WorldProduct => {
    const uomRoll = prng.next();
    const uom = uomRoll < 0.6 ? 'EA' : uomRoll < 0.85 ? 'CS' : 'BX';
    const listPriceCents = uom === 'EA' ? prng.int(99, 19_999) : prng.int(1_999, 49_999);
    return {
      sku: `SKU-${pad(i + 1, 5)}`,
      name: `${prng.pick(ADJECTIVES)} ${prng.pick(MATERIALS)} ${prng.pick(NOUNS)}`,
      uom,
      listPriceCents,
      sellable: !blocked.has(i),
    };
  });
}

function generateCustomers(prng: Prng): WorldCustomer[] {
  const held = new Set(prng.shuffle([...Array(CUSTOMER_COUNT).keys()]).slice(0, HELD_CUSTOMERS));
  return Array.from({ length: CUSTOMER_COUNT }, (_, i): WorldCustomer => {
    const creditLimitCents = prng.int(10, 250) * 100_000;
    const onHold = held.has(i);
    // A held customer is held for a reason: the account is at its credit limit.
    const usedShare = onHold ? 0.98 : prng.next() * 0.6;
    return {
      id: `CUST-${pad(i + 1, 4)}`,
      name: `${COMPANY_PREFIXES[i % COMPANY_PREFIXES.length] ?? 'Acme'} ${prng.pick(COMPANY_SUFFIXES)}`,
      creditLimitCents,
      creditUsedCents: Math.round(creditLimitCents * usedShare),
      onHold,
      discountPercent: prng.pick([0, 0, 0, 5, 10, 15]),
      place: prng.pick(DESTINATIONS),
    };
  });
}

/**
 * Each SKU is stocked in 2–4 warehouses. `reserved` starts at 0; the order generator adds what
 * open allocations hold and raises onHand to match, so the two systems agree.
 */
function generatePositions(prng: Prng, products: readonly WorldProduct[]): WorldPosition[] {
  const positions: WorldPosition[] = [];
  for (const product of products) {
    const count = prng.int(2, WAREHOUSES.length);
    const chosen = prng.shuffle(WAREHOUSES).slice(0, count);
    chosen.sort((a, b) => a.priority - b.priority);
    for (const warehouse of chosen) {
      // Some positions sit at or below safety stock so "insufficient stock" is reachable.
      const scarce = prng.chance(0.08);
      const safetyStock = prng.int(0, 20);
      positions.push({
        sku: product.sku,
        warehouseId: warehouse.id,
        onHand: scarce ? prng.int(0, safetyStock) : prng.int(40, 600),
        reserved: 0,
        safetyStock,
        updatedAtMs: WORLD_EPOCH_MS - prng.int(1, 7 * 24 * 60) * 60_000,
      });
    }
  }
  return positions;
}

/** Warehouses, items, customers and stock positions, with the lookups the order generator needs. */
export function generateCatalog(prng: Prng): Catalog {
  const warehouses = WAREHOUSES.map((w) => ({ ...w, place: { ...w.place } }));
  const products = generateProducts(prng);
  const customers = generateCustomers(prng);
  const positions = generatePositions(prng, products);
  const positionsBySku = new Map<string, WorldPosition[]>();
  for (const position of positions) {
    const list = positionsBySku.get(position.sku) ?? [];
    list.push(position);
    positionsBySku.set(position.sku, list);
  }
  return {
    warehouses,
    products,
    sellable: products.filter((p) => p.sellable),
    customers,
    positions,
    positionsBySku,
    customersById: new Map(customers.map((c) => [c.id, c])),
    productsBySku: new Map(products.map((p) => [p.sku, p])),
  };
}
