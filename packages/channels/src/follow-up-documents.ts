import type { ErpConnector, ShippingConnector } from '@crossdock/connectors';
import { invoiceSet, shipNoticeSet, type InvoiceLine, type ShipNoticeLine } from '@crossdock/edi';
import { multiplyMoney, type ErpOrder, type Invoice, type Shipment } from '@crossdock/model';
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
    let issued = 0;
    for (const [i, po] of open.filter((p) => p.orderId).entries()) {
      issued += await this.followUp(po, shipments[i] ?? [], invoices[i] ?? [], erpOrders[i] ?? null);
    }
    return issued;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async followUp(po: PurchaseOrderRecord, shipments: readonly Shipment[], invoices: readonly Invoice[], erpOrder: ErpOrder | null): Promise<number> {
    const partner = this.options.partners.get(po.partnerId)?.partner;
    if (!partner || !po.orderId) return 0;
    let issued = 0;
    const orderId = po.orderId;
    if (partner.documents.includes('856')) {
      for (const shipment of shipments) {
        issued += await this.issueOnce(po.id, '856', shipment.id, () => ({ partner, type: '856', reference: shipment.id, orderId, status: null, sets: [shipNoticeSet(shipNotice(po, shipment))] }));
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

/** The shipment in the partner's terms: every booked line, in the partner's units and ids. */
function shipNotice(po: PurchaseOrderRecord, shipment: Shipment) {
  const lines: ShipNoticeLine[] = po.lines.filter((line) => line.sku).map((line) => ({ ...partnerIds(line), quantity: line.quantity }));
  return { shipmentId: shipment.id, at: new Date(), carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, poNumber: po.poNumber, poDate: po.poDate, orderId: po.orderId ?? '', lines };
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
