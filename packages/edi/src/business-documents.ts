import type { ProductId } from './purchase-order';
import { freeText, x12Stamp, type OutboundSet, type SegmentValues } from './writer';

/** How a line of a PO is answered in the 855. */
export type LineAckStatus = 'accepted' | 'backordered' | 'rejected';

/** A line as the partner ordered it, echoed back in 855, 856 and 810 with the partner's own ids. */
export interface PartnerLine {
  /** PO101 as the partner sent it, or the 1-based line index. */
  assignedId: string;
  /** The partner's product ids (CB, VN, UP …), as sent. */
  productIds: readonly ProductId[];
  /** In the partner's unit of measure. */
  uom: string;
}

/** One line of an 855. */
export interface PoAckLine extends PartnerLine {
  orderedQuantity: number;
  unitPrice: string | null;
  status: LineAckStatus;
  /** What will ship now (0 when rejected). */
  acceptedQuantity: number;
  /** What will ship later (backordered). */
  backorderedQuantity: number;
}

/** What an 855 says about one PO. */
export interface PoAcknowledgment {
  poNumber: string;
  /** YYYY-MM-DD. */
  poDate: string;
  /** The hub's order id (REF*VN), null when the order was refused. */
  orderId: string | null;
  at: Date;
  lines: readonly PoAckLine[];
}

/**
 * The 855: BAK02 AT when every line is accepted in full, RJ when none is, AC (accepted with
 * changes) otherwise; per line the PO1 echo and ACK segments: IA accepted, IB backordered, IR rejected.
 */
export function poAcknowledgmentSet(ack: PoAcknowledgment): OutboundSet {
  const stamp = x12Stamp(ack.at);
  const all = (status: LineAckStatus) => ack.lines.every((line) => line.status === status);
  const bak02 = all('accepted') ? 'AT' : all('rejected') ? 'RJ' : 'AC';
  const body: SegmentValues[] = [['BAK', '00', bak02, ack.poNumber, ack.poDate.replace(/-/g, ''), '', '', '', '', stamp.date]];
  if (ack.orderId) body.push(['REF', 'VN', ack.orderId]);
  for (const line of ack.lines) {
    body.push(['PO1', line.assignedId, String(line.orderedQuantity), line.uom, line.unitPrice ?? '', line.unitPrice ? 'PE' : '', ...productElements(line.productIds)]);
    body.push(...lineAcks(line, stamp.date));
  }
  body.push(['CTT', String(ack.lines.length)]);
  return { setId: '855', body };
}

function lineAcks(line: PoAckLine, date: string): SegmentValues[] {
  if (line.status === 'rejected') return [['ACK', 'IR', String(line.orderedQuantity), line.uom]];
  const acks: SegmentValues[] = [];
  if (line.acceptedQuantity > 0) acks.push(['ACK', 'IA', String(line.acceptedQuantity), line.uom, '068', date]);
  if (line.backorderedQuantity > 0) acks.push(['ACK', 'IB', String(line.backorderedQuantity), line.uom]);
  return acks;
}

/** One shipped line of an 856. */
export interface ShipNoticeLine extends PartnerLine {
  quantity: number;
}

/** What an 856 says about one shipment. */
export interface ShipNotice {
  shipmentId: string;
  at: Date;
  /** SCAC or carrier name. */
  carrier: string;
  trackingNumber: string;
  poNumber: string;
  /** YYYY-MM-DD. */
  poDate: string;
  orderId: string;
  lines: readonly ShipNoticeLine[];
}

/** The 856 in the simple pick/pack structure 0001: shipment, order, items (HL S → O → I). */
export function shipNoticeSet(notice: ShipNotice): OutboundSet {
  const stamp = x12Stamp(notice.at);
  const body: SegmentValues[] = [
    ['BSN', '00', notice.shipmentId, stamp.date, stamp.time, '0001'],
    ['HL', '1', '', 'S'],
    ['TD5', '', '2', freeText(notice.carrier, 35)],
    ['REF', 'CN', notice.trackingNumber],
    ['DTM', '011', stamp.date],
    ['HL', '2', '1', 'O'],
    ['PRF', notice.poNumber, '', '', notice.poDate.replace(/-/g, '')],
    ['REF', 'VN', notice.orderId],
  ];
  notice.lines.forEach((line, i) => {
    body.push(['HL', String(i + 3), '2', 'I'], ['LIN', line.assignedId, ...productElements(line.productIds)], ['SN1', '', String(line.quantity), line.uom]);
  });
  body.push(['CTT', String(notice.lines.length + 2)]);
  return { setId: '856', body };
}

/** One invoiced line of an 810. */
export interface InvoiceLine extends PartnerLine {
  quantity: number;
  /** Decimal string per partner unit. */
  unitPrice: string;
}

/** What an 810 says about one invoice. */
export interface InvoiceDocument {
  invoiceNumber: string;
  issuedAt: Date;
  poNumber: string;
  /** YYYY-MM-DD. */
  poDate: string;
  orderId: string;
  /** Decimal string, the invoice total. */
  total: string;
  lines: readonly InvoiceLine[];
}

/** The 810: BIG, the order reference, IT1 per line, TDS with the total in cents (N2), CTT. */
export function invoiceSet(invoice: InvoiceDocument): OutboundSet {
  const body: SegmentValues[] = [
    ['BIG', x12Stamp(invoice.issuedAt).date, invoice.invoiceNumber, invoice.poDate.replace(/-/g, ''), invoice.poNumber],
    ['REF', 'VN', invoice.orderId],
    ...invoice.lines.map((line): SegmentValues => ['IT1', line.assignedId, String(line.quantity), line.uom, line.unitPrice, 'PE', ...productElements(line.productIds)]),
    ['TDS', impliedCents(invoice.total)],
    ['CTT', String(invoice.lines.length)],
  ];
  return { setId: '810', body };
}

function productElements(ids: readonly ProductId[]): string[] {
  return ids.slice(0, 10).flatMap((id) => [id.qualifier, id.value]);
}

/** "1234.5" → "123450": X12 N2 (two implied decimals), computed on the digits, never on a float. */
export function impliedCents(amount: string): string {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) throw new RangeError(`"${amount}" is not a decimal amount with at most two decimals`);
  const [, sign, whole, fraction = ''] = match;
  const cents = `${whole}${fraction.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  return `${sign}${cents}`;
}
