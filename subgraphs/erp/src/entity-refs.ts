/**
 * Parents of the entities the ERP only contributes fields to. Commerce owns orders and their
 * lines, so the ERP resolves them from the key alone and looks up its own records per field.
 */

/** An order, known to the ERP by the hub's order id. */
export interface OrderRef {
  id: string;
}

/** An order line, keyed `<order id>:<line number>`. */
export interface OrderLineRef {
  id: string;
}

/** Where an order line sits: the sales order it belongs to and its line number there. */
export interface OrderLineKey {
  orderId: string;
  lineNumber: number;
}

/**
 * Splits an order line id at its LAST colon, since the line number is always the tail and an
 * order id might itself contain a colon. Null when the id has no positive integer line number.
 */
export function parseOrderLineId(id: string): OrderLineKey | null {
  const colon = id.lastIndexOf(':');
  if (colon <= 0) return null;
  const tail = id.slice(colon + 1);
  if (!/^[1-9]\d*$/.test(tail)) return null;
  return { orderId: id.slice(0, colon), lineNumber: Number(tail) };
}
