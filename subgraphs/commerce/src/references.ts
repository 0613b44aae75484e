/**
 * Entities this subgraph names but does not own. Commerce knows only their keys; the gateway
 * fetches everything else from the owning subgraph.
 */

/** A customer, owned by the ERP subgraph. Commerce adds the customer's orders. */
export interface CustomerRef {
  id: string;
}

/** A product, owned by the ERP subgraph; an order line points at it by SKU. */
export interface ProductRef {
  sku: string;
}
