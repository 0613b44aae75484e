/**
 * Entities this subgraph names but does not own. Shipping knows only their keys; the gateway
 * fetches everything else from the owning subgraph.
 */

/** An order, owned by the commerce subgraph. Shipping adds the order's shipments. */
export interface OrderRef {
  id: string;
}
