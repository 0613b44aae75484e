import { HttpError } from './http-kit';
import { WORLD_CURRENCY, generateWorld, groupBy, type World, type WorldCustomer, type WorldInvoice, type WorldProduct } from './world';

/**
 * The ERP's books: customers with their balance, items, sales orders and invoices. Sales orders
 * entered through the API change the customer's balance the way a real ERP's credit check sees it.
 */

/** The ERP numbers lines 10000, 20000, … so lines can be inserted between them. */
export const LINE_NO_STEP = 10_000;

/** A sales order line; LineNo steps by 10000. */
export interface SalesLine {
  lineNo: number;
  itemNo: string;
  quantity: number;
  unitPriceCents: number;
}

/** A sales order as the ERP keeps it. */
export interface SalesOrder {
  salesOrderNo: string;
  /** The hub's order id; the ERP is idempotent on it. */
  externalRef: string;
  customerNo: string;
  /** The sales channel the order came through (a dimension the ERP books it under); null if none given. */
  salesChannelCode: string | null;
  /** The channel's own order or PO number. */
  externalDocumentNo: string | null;
  orderDateMs: number;
  status: 'Released' | 'Cancelled';
  lines: SalesLine[];
  totalCents: number;
  /**
   * What this order added to the customer's balance, given back on cancel. Seeded orders charged
   * nothing: the seeded balance is an opening figure, not the sum of open orders.
   */
  chargedCents: number;
  cancelReason: string | null;
}

/** A sales order the API asks to enter, already checked for shape (not for business rules). */
export interface SalesOrderEntry {
  externalRef: string;
  customerNo: string;
  salesChannelCode: string | null;
  externalDocumentNo: string | null;
  orderDateMs: number;
  lines: (SalesLine & { currencyCode: string })[];
}

/** How often a hub order was posted and how many sales orders exist for it (exactly-once proofs). */
export interface PostingRecord {
  externalRef: string;
  /** Well-formed create requests received, repeats included. */
  requests: number;
  salesOrderNos: string[];
}

interface Books {
  customers: WorldCustomer[];
  customersById: Map<string, WorldCustomer>;
  products: WorldProduct[];
  productsBySku: Map<string, WorldProduct>;
  orders: SalesOrder[];
  ordersByRef: Map<string, SalesOrder>;
  ordersByNo: Map<string, SalesOrder>;
  invoicesByOrder: Map<string, WorldInvoice[]>;
  requestsByRef: Map<string, number>;
  nextOrderNo: number;
}

function seededOrder(o: World['orders'][number]): SalesOrder {
  return {
    salesOrderNo: o.erpOrderNumber,
    externalRef: o.id,
    customerNo: o.customerId,
    salesChannelCode: o.channel,
    externalDocumentNo: o.externalRef,
    orderDateMs: o.placedAtMs,
    status: o.status === 'CANCELLED' ? 'Cancelled' : 'Released',
    lines: o.lines.map((l) => ({ lineNo: l.lineNumber * LINE_NO_STEP, itemNo: l.sku, quantity: l.quantity, unitPriceCents: l.unitPriceCents })),
    totalCents: o.totalCents,
    chargedCents: 0,
    cancelReason: null,
  };
}

function openBooks(world: World): Books {
  const orders = world.orders.map(seededOrder);
  const lastNo = Math.max(0, ...orders.map((o) => Number(/^SO-(\d+)$/.exec(o.salesOrderNo)?.[1] ?? 0)));
  return {
    customers: world.customers,
    customersById: new Map(world.customers.map((c) => [c.id, c])),
    products: [...world.products].sort((a, b) => a.sku.localeCompare(b.sku)),
    productsBySku: new Map(world.products.map((p) => [p.sku, p])),
    orders,
    ordersByRef: new Map(orders.map((o) => [o.externalRef, o])),
    ordersByNo: new Map(orders.map((o) => [o.salesOrderNo, o])),
    invoicesByOrder: groupBy(world.invoices, (i) => i.orderId),
    requestsByRef: new Map(),
    nextOrderNo: lastNo + 1,
  };
}

/** The ERP's state; reset() reopens the seeded books. */
export class ErpLedger {
  private books: Books = openBooks(generateWorld());

  reset(): void {
    this.books = openBooks(generateWorld());
  }

  get customers(): readonly WorldCustomer[] {
    return this.books.customers;
  }

  customer(customerNo: string): WorldCustomer | undefined {
    return this.books.customersById.get(customerNo);
  }

  /** Items in ItemNo order. */
  get items(): readonly WorldProduct[] {
    return this.books.products;
  }

  item(itemNo: string): WorldProduct | undefined {
    return this.books.productsBySku.get(itemNo);
  }

  salesOrder(externalRef: string): SalesOrder | undefined {
    return this.books.ordersByRef.get(externalRef);
  }

  invoices(externalRef: string): readonly WorldInvoice[] {
    return this.books.invoicesByOrder.get(externalRef) ?? [];
  }

  /** The customer's unit price: list price less the customer's discount, as the seeded orders were priced. */
  unitPriceCents(customer: WorldCustomer, item: WorldProduct): number {
    return Math.round((item.listPriceCents * (100 - customer.discountPercent)) / 100);
  }

  /**
   * Enters a sales order, or returns the one already entered for its ExternalRef (whatever the
   * repeat says), so a client that lost the answer can safely post again.
   */
  enter(entry: SalesOrderEntry): { order: SalesOrder; created: boolean } {
    const books = this.books;
    books.requestsByRef.set(entry.externalRef, (books.requestsByRef.get(entry.externalRef) ?? 0) + 1);
    const existing = books.ordersByRef.get(entry.externalRef);
    if (existing) return { order: existing, created: false };
    const customer = books.customersById.get(entry.customerNo);
    if (!customer) throw new HttpError(422, 'customer_not_found', `Customer ${entry.customerNo} does not exist.`);
    if (customer.onHold) throw new HttpError(422, 'customer_blocked', `Customer ${customer.id} is blocked (Credit); sales orders cannot be entered.`);
    for (const line of entry.lines) {
      const item = books.productsBySku.get(line.itemNo);
      if (!item) throw new HttpError(422, 'item_not_found', `Line ${line.lineNo}: item ${line.itemNo} does not exist.`);
      if (!item.sellable) throw new HttpError(422, 'item_blocked', `Line ${line.lineNo}: item ${line.itemNo} is blocked for sales.`);
      if (line.currencyCode !== WORLD_CURRENCY) {
        throw new HttpError(422, 'currency_mismatch', `Line ${line.lineNo}: currency ${line.currencyCode} differs from the customer's currency ${WORLD_CURRENCY}.`);
      }
    }
    const lines = entry.lines.map(({ lineNo, itemNo, quantity, unitPriceCents }) => ({ lineNo, itemNo, quantity, unitPriceCents }));
    const totalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
    const order: SalesOrder = {
      salesOrderNo: `SO-${books.nextOrderNo}`,
      externalRef: entry.externalRef,
      customerNo: customer.id,
      salesChannelCode: entry.salesChannelCode,
      externalDocumentNo: entry.externalDocumentNo,
      orderDateMs: entry.orderDateMs,
      status: 'Released',
      lines,
      totalCents,
      chargedCents: totalCents,
      cancelReason: null,
    };
    books.nextOrderNo += 1;
    books.orders.push(order);
    books.ordersByRef.set(order.externalRef, order);
    books.ordersByNo.set(order.salesOrderNo, order);
    customer.creditUsedCents += totalCents;
    return { order, created: true };
  }

  /** Cancels by SalesOrderNo, else by ExternalRef; a repeat returns the cancelled order. */
  cancel(key: string, reason: string | null): SalesOrder {
    const order = this.books.ordersByNo.get(key) ?? this.books.ordersByRef.get(key);
    if (!order) throw new HttpError(404, 'sales_order_not_found', `Sales order ${key} does not exist.`);
    if (order.status === 'Cancelled') return order;
    if (this.books.invoicesByOrder.has(order.externalRef)) {
      throw new HttpError(422, 'already_invoiced', `Sales order ${order.salesOrderNo} is invoiced and cannot be cancelled.`);
    }
    order.status = 'Cancelled';
    order.cancelReason = reason;
    const customer = this.books.customersById.get(order.customerNo);
    if (customer) customer.creditUsedCents -= order.chargedCents;
    order.chargedCents = 0;
    return order;
  }

  /** Postings per ExternalRef: one ref, or every ref the API was asked to post since start or reset. */
  postings(externalRef?: string): PostingRecord[] {
    const refs = externalRef === undefined ? [...this.books.requestsByRef.keys()] : [externalRef];
    return refs.map((ref) => ({
      externalRef: ref,
      requests: this.books.requestsByRef.get(ref) ?? 0,
      salesOrderNos: this.books.orders.filter((o) => o.externalRef === ref).map((o) => o.salesOrderNo),
    }));
  }
}
