/**
 * Parents of the entities the WMS only contributes fields to. The ERP owns products and commerce
 * owns orders, so the WMS resolves them from the key alone and looks up its own records per field.
 */

/** A product, known to the WMS by its SKU. */
export interface ProductRef {
  sku: string;
}

/** An order, known to the WMS by the hub's order id. */
export interface OrderRef {
  id: string;
}
