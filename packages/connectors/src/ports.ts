import type {
  Customer,
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
}

export interface WmsConnector {
  listWarehouses(): Promise<Warehouse[]>;
  warehousesByIds(ids: readonly string[]): Promise<(Warehouse | null)[]>;
  /** All warehouse positions of each SKU. */
  positionsBySkus(skus: readonly string[]): Promise<InventoryPosition[][]>;
  fulfillmentsByOrderIds(orderIds: readonly string[]): Promise<(Fulfillment | null)[]>;
}

export interface CommerceConnector {
  ordersByIds(ids: readonly string[]): Promise<(Order | null)[]>;
  /** Orders matching the query, newest first. */
  listOrders(query: OrderQuery, page: PageRequest): Promise<Page<Order>>;
}

export interface ShippingConnector {
  shipmentsByIds(ids: readonly string[]): Promise<(Shipment | null)[]>;
  shipmentsByOrderIds(orderIds: readonly string[]): Promise<Shipment[][]>;
}
