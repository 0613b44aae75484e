/**
 * The unified order view: one query with fields from all four subgraphs. Shared by the
 * integration tests and the benchmark so both measure the same thing.
 */
export const UNIFIED_ORDER_VIEW = /* GraphQL */ `
  query UnifiedOrderView($first: Int!, $filter: OrderFilter) {
    orders(first: $first, filter: $filter) {
      edges {
        cursor
        node {
          id
          channel
          externalRef
          status
          placedAt
          customer { id name onHold creditLimit { amount currency } }
          lines {
            lineNumber
            sku
            quantity
            unitPrice { amount currency }
            product { sku name uom available }
          }
          total { amount currency }
          erpOrderNumber
          erpPosting
          invoices { id number issuedAt total { amount currency } }
          fulfillmentStatus
          allocations { sku quantity warehouse { id name region } }
          shipments { id carrier trackingNumber status estimatedDelivery events { at status location description } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface OrderViewNode {
  id: string;
  channel: string;
  externalRef: string | null;
  status: string;
  placedAt: string;
  customer: { id: string; name: string; onHold: boolean; creditLimit: { amount: string; currency: string } | null };
  lines: {
    lineNumber: number;
    sku: string;
    quantity: number;
    unitPrice: { amount: string; currency: string } | null;
    product: { sku: string; name: string; uom: string; available: number };
  }[];
  total: { amount: string; currency: string } | null;
  erpOrderNumber: string | null;
  erpPosting: string;
  invoices: { id: string; number: string; issuedAt: string; total: { amount: string; currency: string } | null }[];
  fulfillmentStatus: string;
  allocations: { sku: string; quantity: number; warehouse: { id: string; name: string; region: string } }[];
  shipments: {
    id: string;
    carrier: string;
    trackingNumber: string;
    status: string;
    estimatedDelivery: string | null;
    events: { at: string; status: string; location: string | null; description: string | null }[];
  }[];
}

export interface OrderViewResult {
  orders: { edges: { cursor: string; node: OrderViewNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/**
 * A query with ERP fields only: a customer's account and a page of the product catalogue. The
 * resilience drills and benchmark ask it while another backend is slow or down, to show that the
 * fields of the backends that are fine are not held back.
 */
export const ERP_ONLY_VIEW = /* GraphQL */ `
  query ErpOnlyView($customerId: ID!) {
    customer(id: $customerId) { id name onHold creditLimit { amount currency } }
    products(first: 5) { edges { node { sku name uom listPrice { amount currency } } } }
  }
`;
