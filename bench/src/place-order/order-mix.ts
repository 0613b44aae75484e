import { generateWorld, type World } from '@crossdock/simulators';

/** What the placeOrder rows order, and for whom; taken from the world every simulator start seeds. */
export interface OrderMix {
  /** The one SKU every order of the hot row names: the cheapest sellable one. */
  hotSku: string;
  /** The SKUs the spread row cycles through: the next cheapest sellable ones. */
  spreadSkus: string[];
  /**
   * Customers not on credit hold, in turn order. Each appears in proportion to its credit room,
   * so the one with the least room is not the first to be refused for credit.
   */
  customerTurns: string[];
  /** The WMS's first-priority warehouse: where the stock is raised, so single-warehouse-first finds it. */
  warehouseId: string;
  /** Every warehouse the WMS lists, best priority first, for the reservation-step rows. */
  warehouseIds: string[];
  /** How many spread orders (quantity 1, list price) the credit room allows before the first customer runs out. */
  spreadCreditCapacity: number;
}

/** Enough SKUs that no one SKU's ledger entry is hot in the spread row. */
export const SPREAD_SKU_COUNT = 120;
/** A bound on the turn list: a customer with this many times the smallest room gets no more turns. */
const MAX_TURNS_PER_CUSTOMER = 100;

/** Picks the hot SKU, the spread SKUs, the customers and the warehouse from the seeded world. */
export function orderMix(world: World = generateWorld()): OrderMix {
  const sellable = world.products.filter((product) => product.sellable).sort((a, b) => a.listPriceCents - b.listPriceCents);
  const [hot, ...rest] = sellable;
  const spread = rest.slice(0, SPREAD_SKU_COUNT);
  if (!hot || spread.length < SPREAD_SKU_COUNT) throw new Error(`the world has ${sellable.length} sellable SKUs; the suite needs ${SPREAD_SKU_COUNT + 1}`);
  const warehouses = [...world.warehouses].sort((a, b) => a.priority - b.priority);
  const first = warehouses[0];
  if (!first) throw new Error('the world has no warehouse');

  const rooms = world.customers
    .filter((customer) => !customer.onHold)
    .map((customer) => ({ id: customer.id, roomCents: customer.creditLimitCents - customer.creditUsedCents }))
    .filter((customer) => customer.roomCents > 0);
  const smallest = Math.min(...rooms.map((customer) => customer.roomCents));
  if (rooms.length === 0 || !Number.isFinite(smallest)) throw new Error('the world has no customer in good standing with credit room');
  const turns = rooms.map((customer) => ({ ...customer, turns: Math.min(MAX_TURNS_PER_CUSTOMER, Math.floor(customer.roomCents / smallest)) }));
  // Interleaved rounds rather than blocks, so consecutive orders go to different customers.
  const customerTurns: string[] = [];
  for (let round = 0; round < MAX_TURNS_PER_CUSTOMER; round++) {
    for (const customer of turns) if (customer.turns > round) customerTurns.push(customer.id);
  }

  // Every turn list cycle charges a customer turns × the mean price; the first to run dry stops the mix.
  const meanPriceCents = spread.reduce((sum, product) => sum + product.listPriceCents, 0) / spread.length;
  const cycles = Math.min(...turns.map((customer) => customer.roomCents / (customer.turns * meanPriceCents)));
  return {
    hotSku: hot.sku,
    spreadSkus: spread.map((product) => product.sku),
    customerTurns,
    warehouseId: first.id,
    warehouseIds: warehouses.map((warehouse) => warehouse.id),
    spreadCreditCapacity: Math.floor(cycles * customerTurns.length),
  };
}
