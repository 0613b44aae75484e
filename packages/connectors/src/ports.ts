import type {
  Allocation,
  Customer,
  Money,
  ErpOrder,
  Fulfillment,
  InventoryPosition,
  Invoice,
  Order,
  OrderQuery,
  Page,
  PageRequest,
  Product,
  Shipment,
  Warehouse,
} from '@crossdock/model';

/**
 * What a subgraph needs from its backend system, in the canonical model. Every `...ByX` method
 * takes many keys and costs ONE backend call (DataLoader batches into it); results are in the
 * order of the keys, with null (or an empty list) where the backend has nothing for a key.
 * Failures throw a BackendError.
 */
export interface ErpConnector {
  customersByIds(ids: readonly string[]): Promise<(Customer | null)[]>;
  productsBySkus(skus: readonly string[]): Promise<(Product | null)[]>;
  listProducts(page: PageRequest): Promise<Page<Product>>;
  /** The ERP sales order for each hub order id (null while the ERP has none). */
  erpOrdersByOrderIds(orderIds: readonly string[]): Promise<(ErpOrder | null)[]>;
  invoicesByOrderIds(orderIds: readonly string[]): Promise<Invoice[][]>;
  /** The customer's unit price for each SKU (price list and discounts applied); null if unpriced. One call. */
  pricesFor(customerId: string, skus: readonly string[]): Promise<(Money | null)[]>;
  /**
   * Creates the ERP sales order for a hub order. Idempotent on the hub order id (the ERP keeps it
   * as external reference): a repeat returns the existing order with `created: false`.
   */
  createSalesOrder(order: NewSalesOrder): Promise<{ erpOrderNumber: string; created: boolean }>;
  /** Cancels the sales order of a hub order; a no-op when there is none or it is already cancelled. */
  cancelSalesOrder(orderId: string, reason: string | null): Promise<void>;
}

export interface NewSalesOrder {
  orderId: string;
  customerId: string;
  /**
   * The sales channel, booked on the sales order (SalesChannelCode) so the ERP itself can say
   * whose order it is (row-level access). Omitted: the sales order carries none.
   */
  channel?: string | null;
  externalRef: string | null;
  placedAt: string;
  lines: { lineNumber: number; sku: string; quantity: number; unitPrice: Money }[];
}

export interface WmsConnector {
  listWarehouses(): Promise<Warehouse[]>;
  warehousesByIds(ids: readonly string[]): Promise<(Warehouse | null)[]>;
  /** All warehouse positions of each SKU. */
  positionsBySkus(skus: readonly string[]): Promise<InventoryPosition[][]>;
  fulfillmentsByOrderIds(orderIds: readonly string[]): Promise<(Fulfillment | null)[]>;
  /**
   * Tells the WMS of the hub's allocation for an order (it reserves the stock and opens the
   * fulfilment). Idempotent on the order id. Fails with a client-error if the WMS lacks the stock.
   * `shipTo` is whose order it is; the WMS keeps it on the fulfilment, so it can say so later
   * (row-level access). Omitted: the fulfilment carries no owner.
   */
  allocate(orderId: string, allocations: readonly Allocation[], shipTo?: OrderOwner): Promise<void>;
  /** Voids the order's allocation in the WMS and returns what it released ([] when none). */
  cancelAllocation(orderId: string): Promise<Allocation[]>;
}

/** Whose order it is: the customer and the sales channel it came through. */
export interface OrderOwner {
  customerId: string;
  channel: string;
}

export interface CommerceConnector {
  ordersByIds(ids: readonly string[]): Promise<(Order | null)[]>;
  /** Orders matching the query, newest first. */
  listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>>;
  /** Records a hub-captured order in the commerce platform. Idempotent on the order id. */
  createOrder(order: Order): Promise<void>;
  /** Cancels an order in the commerce platform; a no-op when already cancelled. */
  cancelOrder(orderId: string, reason: string | null): Promise<void>;
}

export interface ShippingConnector {
  shipmentsByIds(ids: readonly string[]): Promise<(Shipment | null)[]>;
  shipmentsByOrderIds(orderIds: readonly string[]): Promise<Shipment[][]>;
}
