import { compareMoney, multiplyMoney, sumMoney, type Money } from '@crossdock/model';
import type { PlacedOrderLine } from '@crossdock/orders';
import { lineField, userError, type PlaceOrderRequest, type UserError } from './capture-types';
import type { MasterData } from './master-data';

/** An order checked against ERP master data. */
export interface PricedOrder {
  errors: UserError[];
  /** Every line at the customer's unit price; complete only when `errors` is empty. */
  lines: PlacedOrderLine[];
  /** Sum of the lines, null when some line could not be priced. */
  total: Money | null;
}

/**
 * Checks the order against the customer (exists, not on hold, credit) and each SKU (exists,
 * sellable, priced for this customer), reporting every problem. Money is decimal throughout
 * (model helpers), never a float. Lines whose quantity is already refused are priced no further.
 */
export function priceOrder(request: PlaceOrderRequest, master: MasterData, validQuantity: (index: number) => boolean): PricedOrder {
  const errors: UserError[] = [];
  const { customer } = master;
  if (customer === null) {
    errors.push(userError('UNKNOWN_CUSTOMER', `customer "${request.customerId}" does not exist`, ['customerId']));
  } else if (customer.onHold) {
    errors.push(userError('CREDIT_HOLD', `customer ${customer.id} is on credit hold; orders are refused until the hold is lifted`, ['customerId']));
  }
  const lines: PlacedOrderLine[] = [];
  let priced = true;
  for (const [index, line] of request.lines.entries()) {
    // An empty SKU is already reported by the shape checks.
    const product = line.sku.trim().length === 0 ? undefined : (master.products.get(line.sku) ?? null);
    const unitPrice = master.prices.get(line.sku) ?? null;
    if (product === null) {
      errors.push(userError('UNKNOWN_SKU', `SKU "${line.sku}" does not exist`, lineField(index, 'sku')));
    } else if (product !== undefined && !product.sellable) {
      errors.push(userError('SKU_NOT_SELLABLE', `SKU ${line.sku} is blocked in the ERP and cannot be ordered`, lineField(index, 'sku')));
    } else if (product !== undefined && customer !== null && unitPrice === null) {
      errors.push(userError('SKU_NOT_SELLABLE', `SKU ${line.sku} has no price for customer ${customer.id}`, lineField(index, 'sku')));
    } else if (product !== undefined && unitPrice !== null && validQuantity(index)) {
      lines.push({ lineNumber: index + 1, sku: line.sku, quantity: line.quantity, unitPrice });
      continue;
    }
    priced = false;
  }
  if (customer === null || !priced) return { errors, lines, total: null };
  const total = sumMoney(
    lines.map((line) => multiplyMoney(line.unitPrice, line.quantity)),
    customer.creditAvailable.currency,
  );
  if (compareMoney(total, customer.creditAvailable) > 0) {
    errors.push(
      userError(
        'CREDIT_LIMIT_EXCEEDED',
        `the order total ${total.amount} ${total.currency} exceeds customer ${customer.id}'s available credit of ${customer.creditAvailable.amount} ${customer.creditAvailable.currency}`,
        ['lines'],
      ),
    );
  }
  return { errors, lines, total };
}
