import { CommerceHttpConnector, ErpHttpConnector, ShippingHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { availableOf, type ErpOrderLine, type InventoryPosition, type Order, type Product } from '@crossdock/model';
import type { OrderViewNode, OrderViewResult } from '@crossdock/testkit';

/** Base URLs of the four backend systems (the simulators in the benchmark). */
export interface BackendUrls {
  erp: string;
  wms: string;
  commerce: string;
  shipping: string;
}

/** The hand-written client: the unified order view read straight from the backends. */
export interface OrderViewFloor {
  /** The newest `first` orders with everything the UNIFIED_ORDER_VIEW query selects. */
  read(first: number): Promise<OrderViewResult>;
  close(): Promise<void>;
}

interface Backends {
  erp: ErpHttpConnector;
  wms: WmsHttpConnector;
  commerce: CommerceHttpConnector;
  shipping: ShippingHttpConnector;
}

/**
 * The physical floor of the unified order view: no GraphQL, no subgraphs, only the connectors.
 * They are created with the defaults every subgraph's index.ts uses (16 keep-alive connections,
 * 2 s deadline), so the floor and the gateway reach the backends through the same pipes.
 */
export function createOrderViewFloor(urls: BackendUrls): OrderViewFloor {
  const backends: Backends = {
    erp: new ErpHttpConnector({ baseUrl: urls.erp }),
    wms: new WmsHttpConnector({ baseUrl: urls.wms }),
    commerce: new CommerceHttpConnector({ baseUrl: urls.commerce }),
    shipping: new ShippingHttpConnector({ baseUrl: urls.shipping }),
  };
  return {
    read: (first) => readOrderView(backends, first),
    close: async () => {
      await Promise.all(Object.values(backends).map((backend) => backend.close()));
    },
  };
}

/**
 * Two round trips, the least the data allows: the order list names the customers, SKUs and
 * order ids every other lookup needs, and those eight lookups depend on nothing else.
 */
async function readOrderView(backends: Backends, first: number): Promise<OrderViewResult> {
  const page = await backends.commerce.listOrders({}, { first });
  const orders = page.items.slice(0, first);
  const orderIds = orders.map((order) => order.id);
  const customerIds = unique(orders.map((order) => order.customerId));
  const skus = unique(orders.flatMap((order) => order.lines.map((line) => line.sku)));
  const [customers, products, salesOrders, invoices, fulfillments, positions, warehouses, shipments] = await Promise.all([
    backends.erp.customersByIds(customerIds),
    backends.erp.productsBySkus(skus),
    backends.erp.erpOrdersByOrderIds(orderIds),
    backends.erp.invoicesByOrderIds(orderIds),
    backends.wms.fulfillmentsByOrderIds(orderIds),
    backends.wms.positionsBySkus(skus),
    backends.wms.listWarehouses(),
    backends.shipping.shipmentsByOrderIds(orderIds),
  ]);
  const found = {
    customers: aligned(customerIds, customers),
    products: aligned(skus, products),
    positions: aligned(skus, positions),
    warehouses: new Map(warehouses.map((warehouse) => [warehouse.id, warehouse])),
  };
  const nodes = orders.map((order, i): OrderViewNode => {
    const customer = required(found.customers.get(order.customerId), `ERP has no customer ${order.customerId}`);
    const salesOrder = salesOrders[i] ?? null;
    const fulfillment = fulfillments[i] ?? null;
    return {
      id: order.id,
      channel: order.channel,
      externalRef: order.externalRef,
      status: order.status,
      placedAt: order.placedAt,
      customer: { id: customer.id, name: customer.name, onHold: customer.onHold, creditLimit: customer.creditLimit },
      lines: linesOf(order, salesOrder?.lines ?? [], found),
      total: salesOrder?.total ?? null,
      erpOrderNumber: salesOrder?.erpOrderNumber ?? null,
      // The ERP subgraph's rule: a sales order means posted, none yet means queued.
      erpPosting: salesOrder ? 'POSTED' : 'QUEUED',
      invoices: (invoices[i] ?? []).map((invoice) => ({ id: invoice.id, number: invoice.number, issuedAt: invoice.issuedAt, total: invoice.total })),
      fulfillmentStatus: fulfillment?.status ?? 'UNALLOCATED',
      allocations: (fulfillment?.allocations ?? []).map((allocation) => {
        const warehouse = required(found.warehouses.get(allocation.warehouseId), `WMS does not list warehouse ${allocation.warehouseId}`);
        return { sku: allocation.sku, quantity: allocation.quantity, warehouse: { id: warehouse.id, name: warehouse.name, region: warehouse.region } };
      }),
      shipments: (shipments[i] ?? []).map((shipment) => ({
        id: shipment.id,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        status: shipment.status,
        estimatedDelivery: shipment.estimatedDelivery,
        events: shipment.events,
      })),
    };
  });
  // A plain client needs no Relay cursor; the order id marks the place just as well.
  const edges = nodes.map((node) => ({ cursor: node.id, node }));
  return { orders: { edges, pageInfo: { hasNextPage: page.nextCursor !== null || page.items.length > first, endCursor: edges.at(-1)?.cursor ?? null } } };
}

interface LineLookups {
  products: ReadonlyMap<string, Product | null>;
  positions: ReadonlyMap<string, InventoryPosition[]>;
}

/** Commerce owns the lines; the ERP adds the price it charges, ERP and WMS the product. */
function linesOf(order: Order, erpLines: readonly ErpOrderLine[], found: LineLookups): OrderViewNode['lines'] {
  return [...order.lines]
    .sort((a, b) => a.lineNumber - b.lineNumber)
    .map((line) => {
      const product = required(found.products.get(line.sku), `ERP has no item ${line.sku}`);
      const available = (found.positions.get(line.sku) ?? []).reduce((sum, position) => sum + availableOf(position), 0);
      return {
        lineNumber: line.lineNumber,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: erpLines.find((erpLine) => erpLine.lineNumber === line.lineNumber)?.unitPrice ?? null,
        product: { sku: product.sku, name: product.name, uom: product.uom, available },
      };
    });
}

function unique(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** Connectors answer in the order of the keys; this keys the answers for lookup. */
function aligned<V>(keys: readonly string[], values: readonly V[]): Map<string, V> {
  return new Map(
    keys.flatMap((key, i) => {
      const value = values[i];
      return value === undefined ? [] : [[key, value] as const];
    }),
  );
}

/** The gateway answers these cases with a GraphQL error (a non-null field); the floor fails too. */
function required<V>(value: V | null | undefined, message: string): V {
  if (value === null || value === undefined) throw new Error(message);
  return value;
}
