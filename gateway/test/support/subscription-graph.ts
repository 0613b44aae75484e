import type { GatewayOptions, RunningGateway } from '../../src/server';
import gql from 'graphql-tag';
import { startEventSubgraph, TestEventStream, type EventContext, type EventSubgraph, type SubscriptionStats } from './event-subgraph';
import { startTestGateway, writeSupergraph } from './test-gateway';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes"])';

/** A stock movement, as the stock subgraph streams it. */
export interface StockEvent {
  sku: string;
  warehouseId: string;
  onHand: number;
  /** Padding, for tests that need big events. */
  note?: string;
}

/** A tracking update, as the parcels subgraph streams it; `customerId` is the owner it filters by. */
export interface ParcelEvent {
  id: string;
  orderId: string;
  status: string;
  customerId: string;
}

const stockTypeDefs = gql`
  ${LINK}
  type Subscription {
    inventoryChanged(skus: [ID!], warehouseIds: [ID!], after: String): InventoryPosition! @requiresScopes(scopes: [["inventory:read"]])
  }
  type InventoryPosition {
    sku: ID!
    warehouseId: ID!
    onHand: Int!
    note: String
    product: Product!
  }
  type Product @key(fields: "sku", resolvable: false) {
    sku: ID!
  }
`;

const catalogTypeDefs = gql`
  ${LINK}
  type Query {
    product(sku: ID!): Product
  }
  type Product @key(fields: "sku") {
    sku: ID!
    name: String!
  }
  type Customer @key(fields: "id") {
    id: ID!
    name: String @requiresScopes(scopes: [["customers:read"]])
  }
`;

const parcelsTypeDefs = gql`
  ${LINK}
  type Subscription {
    shipmentUpdated(orderId: ID, shipmentId: ID, after: String): Shipment! @requiresScopes(scopes: [["shipments:read"]])
  }
  type Shipment @key(fields: "id") {
    id: ID!
    status: String!
    order: Order!
  }
  type Order @key(fields: "id", resolvable: false) {
    id: ID!
  }
`;

const ordersTypeDefs = gql`
  ${LINK}
  type Order @key(fields: "id") {
    id: ID!
    customer: Customer!
  }
  type Product @key(fields: "sku") {
    sku: ID!
    openOrders: Int!
  }
  type Customer @key(fields: "id", resolvable: false) {
    id: ID!
  }
`;

/** Customers and their orders in the test graph. */
export const ORDER_OWNERS: Record<string, string> = { 'O-1': 'C-1', 'O-2': 'C-2', 'O-3': 'C-1' };
const CUSTOMER_NAMES: Record<string, string> = { 'C-1': 'Acme Hardware', 'C-2': 'Bolt Supplies' };

export interface SubscriptionGraph {
  stock: EventSubgraph;
  catalog: EventSubgraph;
  parcels: EventSubgraph;
  orders: EventSubgraph;
  stockEvents: TestEventStream<StockEvent>;
  parcelEvents: TestEventStream<ParcelEvent>;
  /** Product references the catalog resolved (one per entity in each `_entities` call). */
  productLookups: string[];
  /** Holds every product lookup of the catalog until the returned function is called. */
  holdProductLookups(): () => void;
  /** Holds every product lookup of the orders subgraph (`openOrders`) until the returned function is called. */
  holdOrderLookups(): () => void;
  gateway: RunningGateway;
  /** `ws://…/graphql` of the gateway. */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * Four in-test subgraphs shaped like the hub's (stock ≈ wms, catalog ≈ erp, parcels ≈ shipping,
 * orders ≈ commerce), so that `inventoryChanged { product { name } }` needs a second subgraph and
 * `shipmentUpdated { order { customer { name } } }` two more, and the real gateway over them.
 * The subscription subgraphs filter by the identity of the gateway's connection, as the real ones do.
 */
export async function startSubscriptionGraph(gatewayOptions: Partial<GatewayOptions> = {}): Promise<SubscriptionGraph> {
  const stockEvents = new TestEventStream<StockEvent>();
  const parcelEvents = new TestEventStream<ParcelEvent>();
  const productLookups: string[] = [];
  /** Lookups wait while their hold is set; the function returned by `hold` lifts it. */
  const holds: { products: Promise<void> | null; orders: Promise<void> | null } = { products: null, orders: null };
  const hold = (which: keyof typeof holds) => (): (() => void) => {
    let release!: () => void;
    holds[which] = new Promise<void>((resolve) => (release = resolve));
    return () => {
      holds[which] = null;
      release();
    };
  };
  const stockStats: SubscriptionStats = { subscribes: 0 };
  const parcelStats: SubscriptionStats = { subscribes: 0 };
  const started: EventSubgraph[] = [];
  try {
    const stock = await startEventSubgraph({
      name: 'stock',
      typeDefs: stockTypeDefs,
      stats: stockStats,
      resolvers: {
        Subscription: {
          inventoryChanged: {
            subscribe: (_: unknown, args: { skus?: string[] | null; warehouseIds?: string[] | null; after?: string | null }) =>
              stockEvents.read(
                'inventoryChanged',
                args.after ?? null,
                (e) => (!args.skus || args.skus.includes(e.sku)) && (!args.warehouseIds || args.warehouseIds.includes(e.warehouseId)),
                stockStats,
              ),
          },
        },
        InventoryPosition: { product: (position: StockEvent) => ({ sku: position.sku }) },
      },
    });
    started.push(stock);
    const catalog = await startEventSubgraph({
      name: 'catalog',
      typeDefs: catalogTypeDefs,
      resolvers: {
        Query: { product: (_: unknown, { sku }: { sku: string }) => ({ sku }) },
        Product: {
          __resolveReference: async (ref: { sku: string }) => {
            if (holds.products) await holds.products;
            productLookups.push(ref.sku);
            return ref;
          },
          name: (product: { sku: string }) => `Product ${product.sku}`,
        },
        Customer: {
          __resolveReference: (ref: { id: string }, context: EventContext) => {
            // Row restriction at the source, as in the hub: a customer sees only itself.
            if (context.identity?.customerId && context.identity.customerId !== ref.id) return null;
            return ref;
          },
          name: (customer: { id: string }) => CUSTOMER_NAMES[customer.id] ?? 'unknown',
        },
      },
    });
    started.push(catalog);
    const parcels = await startEventSubgraph({
      name: 'parcels',
      typeDefs: parcelsTypeDefs,
      stats: parcelStats,
      resolvers: {
        Subscription: {
          shipmentUpdated: {
            subscribe: (_: unknown, args: { orderId?: string | null; shipmentId?: string | null; after?: string | null }, context: EventContext) =>
              parcelEvents.read(
                'shipmentUpdated',
                args.after ?? null,
                (e) =>
                  (!args.orderId || e.orderId === args.orderId) &&
                  (!args.shipmentId || e.id === args.shipmentId) &&
                  (!context.identity?.customerId || context.identity.customerId === e.customerId),
                parcelStats,
              ),
          },
        },
        Shipment: {
          __resolveReference: (ref: { id: string }) => ({ ...ref, status: 'UNKNOWN', orderId: 'O-1' }),
          order: (shipment: ParcelEvent) => ({ id: shipment.orderId }),
        },
      },
    });
    started.push(parcels);
    const orders = await startEventSubgraph({
      name: 'orders',
      typeDefs: ordersTypeDefs,
      resolvers: {
        Order: {
          __resolveReference: (ref: { id: string }) => ref,
          customer: (order: { id: string }) => ({ id: ORDER_OWNERS[order.id] ?? 'C-0' }),
        },
        Product: {
          __resolveReference: async (ref: { sku: string }) => {
            if (holds.orders) await holds.orders;
            return ref;
          },
          openOrders: () => 2,
        },
      },
    });
    started.push(orders);
    const gateway = await startTestGateway(writeSupergraph(started), gatewayOptions);
    return {
      stock,
      catalog,
      parcels,
      orders,
      stockEvents,
      parcelEvents,
      productLookups,
      holdProductLookups: hold('products'),
      holdOrderLookups: hold('orders'),
      gateway,
      wsUrl: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      close: async () => {
        await gateway.close();
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}
