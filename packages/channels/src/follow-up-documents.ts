import type { ErpConnector, ShippingConnector, WmsConnector } from '@crossdock/connectors';
import { invoiceSet, shipNoticeSet, type InvoiceLine, type ShipNotice, type ShipNoticeLine } from '@crossdock/edi';
import { multiplyMoney, type ErpOrder, type Fulfillment, type Invoice, type Shipment } from '@crossdock/model';
import { RoundLoop } from '@crossdock/orders';
import type { ChannelLog } from './channel-log';
import type { DocumentRequest, EdiDocuments } from './edi-documents';
import type { PartnerDirectory } from './partner-directory';
import type { ChannelStore, PurchaseOrderLineRecord, PurchaseOrderRecord } from './ports';

/** Options of FollowUpDocuments. */
export interface FollowUpOptions {
  store: ChannelStore;
  partners: PartnerDirectory;
  documents: EdiDocuments;
  /** Invoices and the ERP's priced order lines. */
  erp: Pick<ErpConnector, 'invoicesByOrderIds' | 'erpOrdersByOrderIds'>;
  /** Shipments; null when the hub has no carrier connector configured (no 856 then). */
  shipping: Pick<ShippingConnector, 'shipmentsByOrderIds'> | null;
  /**
   * What each parcel holds: the WMS's allocations of the warehouse it left from. Null: no WMS to
   * ask, and an 856 lists the PO's booked lines (right only for orders shipped in one parcel).
   */
  wms: Pick<WmsConnector, 'fulfillmentsByOrderIds'> | null;
  intervalMs: number;
  batchSize?: number;
  log?: ChannelLog;
}

/**
 * 856 when a shipment exists for a partner's order, 810 when the ERP has invoiced it: polls the
 * carrier and the ERP for the accepted POs still waiting for them, in batches (one call per
 * backend per round), and issues each document once (by shipment or invoice id). The PO stops
 * being polled once its invoice went out.
 */
export class FollowUpDocuments {
  private readonly loop: RoundLoop;
  /**
   * Per open PO, the 856/810 this process issued already: later rounds (an 856 goes out long
   * before the 810 closes the PO) skip them rather than look each one up again, a query of every
   * stored document on FerretDB. After a restart each is looked up once; issuing stays once-only.
   */
  private readonly issuedByPo = new Map<string, Set<string>>();

  constructor(private readonly options: FollowUpOptions) {
    this.loop = new RoundLoop({
      round: async () => {
        await this.runOnce().catch((error: unknown) => this.options.log?.({ level: 'warn', message: 'EDI follow-up round (856/810) failed; trying again', error }));
        return false;
      },
      intervalMs: options.intervalMs,
      firstDelayMs: options.intervalMs,
    });
  }

  /** One round; returns the documents issued (by this process, not in an earlier round). */
  async runOnce(): Promise<number> {
    const open = await this.options.store.openFollowUps(this.options.batchSize ?? 100);
    const orderIds = open.flatMap((po) => (po.orderId ? [po.orderId] : []));
    if (orderIds.length === 0) return 0;
    const [shipments, invoices, erpOrders] = await Promise.all([
      this.options.shipping ? this.options.shipping.shipmentsByOrderIds(orderIds) : orderIds.map((): Shipment[] => []),
      this.options.erp.invoicesByOrderIds(orderIds),
      this.options.erp.erpOrdersByOrderIds(orderIds),
    ]);
    // Only orders with a parcel need the WMS: what each parcel holds.
    const shippedIds = orderIds.filter((_, i) => (shipments[i] ?? []).length > 0);
    const fulfillments = new Map<string, Fulfillment | null>();
    if (this.options.wms && shippedIds.length > 0) {
      const found = await this.options.wms.fulfillmentsByOrderIds(shippedIds);
      shippedIds.forEach((id, i) => fulfillments.set(id, found[i] ?? null));
    }
    let issued = 0;
    for (const [i, po] of open.filter((p) => p.orderId).entries()) {
      issued += await this.followUp(po, { shipments: shipments[i] ?? [], fulfillment: fulfillments.get(po.orderId ?? '') ?? null }, invoices[i] ?? [], erpOrders[i] ?? null);
    }
    return issued;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async followUp(po: PurchaseOrderRecord, shipped: { shipments: readonly Shipment[]; fulfillment: Fulfillment | null }, invoices: readonly Invoice[], erpOrder: ErpOrder | null): Promise<number> {
    const partner = this.options.partners.get(po.partnerId)?.partner;
    if (!partner || !po.orderId) return 0;
    let issued = 0;
    const orderId = po.orderId;
    const { shipments } = shipped;
    if (partner.documents.includes('856')) {
      for (const shipment of shipments) {
        const notice = this.shipNotice(po, shipment, shipped.fulfillment);
        // Not known yet what the parcel holds (the WMS has no fulfillment for the order): a later round.
        if (notice === null) continue;
        issued += await this.issueOnce(po.id, '856', shipment.id, () => ({ partner, type: '856', reference: shipment.id, orderId, status: null, sets: [shipNoticeSet(notice)] }));
      }
    }
    if (partner.documents.includes('810') && erpOrder) {
      for (const invoice of invoices) {
        issued += await this.issueOnce(po.id, '810', invoice.id, () => ({ partner, type: '810', reference: invoice.id, orderId, status: null, sets: [invoiceSet(invoiceDocument(po, invoice, erpOrder))] }));
      }
    }
    const done = partner.documents.includes('810') ? invoices.length > 0 : shipments.length > 0;
    if (done) {
      await this.options.store.closeFollowUps({ ...po, followUpsOpen: false, updatedAt: new Date().toISOString() });
      this.issuedByPo.delete(po.id);
    }
    return issued;
  }

  /**
   * The shipment in the partner's terms and ids: the lines of the PO the parcel holds (the WMS's
   * allocations of its warehouse). Null while the WMS has no fulfillment for the order, and for a
   * parcel that holds none of the PO's lines. A label without its warehouse on an order shipped
   * from several lists every allocated line, and says so in the log.
   */
  private shipNotice(po: PurchaseOrderRecord, shipment: Shipment, fulfillment: Fulfillment | null): ShipNotice | null {
    const header = { shipmentId: shipment.id, at: new Date(), carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, poNumber: po.poNumber, poDate: po.poDate, orderId: po.orderId ?? '' };
    if (!this.options.wms) return { ...header, lines: po.lines.filter((line) => line.sku).map((line) => ({ ...partnerIds(line), quantity: line.quantity })) };
    if (!fulfillment) return null;
    const origins = [...new Set(fulfillment.allocations.map((allocation) => allocation.warehouseId))];
    const from = shipment.shipFromWarehouseId ?? (origins.length === 1 ? (origins[0] ?? null) : null);
    if (from === null) {
      this.options.log?.({ level: 'warn', message: `856 for ${shipment.id} (PO ${po.poNumber}) lists every allocated line: the label does not say which of ${origins.join(', ')} it left from` });
    }
    const lines = parcelLines(po, fulfillment.allocations, from);
    // A parcel with nothing of this PO in it (another order's goods under its reference) is no ship notice of it.
    return lines.length > 0 ? { ...header, lines } : null;
  }

  /** Issues the document unless this process did in an earlier round; answers 1 when issued now. */
  private async issueOnce(poId: string, type: '856' | '810', reference: string, request: () => DocumentRequest): Promise<number> {
    const key = `${type}:${reference}`;
    const issued = this.issuedByPo.get(poId) ?? new Set<string>();
    if (issued.has(key)) return 0;
    await this.options.documents.issue(request());
    this.issuedByPo.set(poId, issued.add(key));
    return 1;
  }
}

/**
 * What a parcel holds, per PO line in the partner's units: the allocations of the warehouse it left
 * from, SKU by SKU, filling the PO's lines for that SKU in order (a partner may order one item on
 * two lines). Lines the parcel holds nothing of are left out.
 */
export function parcelLines(po: PurchaseOrderRecord, allocations: Fulfillment['allocations'], warehouseId: string | null): ShipNoticeLine[] {
  const left = new Map<string, number>();
  for (const allocation of allocations) {
    if (warehouseId === null || allocation.warehouseId === warehouseId) left.set(allocation.sku, (left.get(allocation.sku) ?? 0) + allocation.quantity);
  }
  return po.lines.flatMap((line) => {
    const available = line.sku ? (left.get(line.sku) ?? 0) : 0;
    const taken = Math.min(available, line.quantity * line.factor);
    if (!line.sku || taken <= 0) return [];
    left.set(line.sku, available - taken);
    return [{ ...partnerIds(line), quantity: taken / line.factor }];
  });
}

/** The invoice in the partner's terms: the ERP's priced lines mapped back to the PO's lines and units. */
function invoiceDocument(po: PurchaseOrderRecord, invoice: Invoice, erpOrder: ErpOrder) {
  const lines: InvoiceLine[] = erpOrder.lines.flatMap((erpLine) => {
    const line = po.lines.find((candidate) => candidate.sku === erpLine.sku);
    if (!line) return [];
    return [{ ...partnerIds(line), quantity: erpLine.quantity / line.factor, unitPrice: multiplyMoney(erpLine.unitPrice, line.factor).amount }];
  });
  return { invoiceNumber: invoice.number, issuedAt: new Date(invoice.issuedAt), poNumber: po.poNumber, poDate: po.poDate, orderId: po.orderId ?? '', total: invoice.total.amount, lines };
}

function partnerIds(line: PurchaseOrderLineRecord): Pick<ShipNoticeLine, 'assignedId' | 'productIds' | 'uom'> {
  return { assignedId: line.assignedId, productIds: line.productIds, uom: line.uom };
}
