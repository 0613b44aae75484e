import type { TransactionSet } from './envelope';
import { AK3_CODES, AK4_CODES, AK5_CODES, type EdiIssue } from './issues';
import type { X12Segment } from './tokenizer';

/** A product id on a line: PO106/PO107, PO108/PO109, … (qualifier CB buyer part, VN vendor part, UP/UK UPC/EAN). */
export interface ProductId {
  qualifier: string;
  value: string;
}

/** One PO1 line of an 850. */
export interface PurchaseOrderLine {
  /** 1-based among the PO1 segments: what `lines.<n-1>` means in errors. */
  index: number;
  /** PO101, the buyer's line number when sent. */
  assignedId: string | null;
  /** PO102 as a whole number of PO103 units. */
  quantity: number;
  /** PO103, e.g. EA or CA. */
  uom: string;
  /** PO104 as sent (decimal string), null when absent. */
  unitPrice: string | null;
  productIds: ProductId[];
  /** Position of the PO1 in its set (ST = 1), for AK3 and for errors people read. */
  segmentPosition: number;
}

/** What an 850 asks for, as read. */
export interface PurchaseOrder {
  /** ST02 of the set. */
  setControlNumber: string;
  /** BEG01, e.g. 00 original. */
  purpose: string;
  /** BEG02, e.g. SA stand-alone, NE new order. */
  orderType: string;
  /** BEG03. */
  poNumber: string;
  /** BEG05 as ISO date YYYY-MM-DD. */
  poDate: string;
  shipTo: { name: string; idQualifier: string | null; id: string | null } | null;
  lines: PurchaseOrderLine[];
}

/** The 850 read from a set, or the issues that keep it from being read. */
export interface PurchaseOrderReading {
  order: PurchaseOrder | null;
  issues: EdiIssue[];
}

/**
 * Reads an 850 (004010 and VICS): BEG, the N1 ship-to, the PO1 lines and CTT, checking what order
 * capture relies on. Every problem is reported with its segment position and element, the way a
 * 997 reports it (AK3/AK4), not only the first. Other segments (terms, dates, packaging, routing)
 * are allowed and kept out of the canonical order.
 */
export function readPurchaseOrder(set: TransactionSet): PurchaseOrderReading {
  const issues: EdiIssue[] = [];
  const beg = set.segments.find((segment) => segment.tag === 'BEG');
  if (!beg) issues.push(missingSegment('BEG', 2));
  const lineSegments = set.segments.filter((segment) => segment.tag === 'PO1');
  if (lineSegments.length === 0) issues.push(missingSegment('PO1', set.segments.length));
  const lines = lineSegments.map((segment, i) => readLine(segment, i + 1, issues));
  checkTotals(set, lineSegments.length, issues);
  const begFields = beg ? readBeg(beg, issues) : null;
  if (!begFields || issues.length > 0) return { order: null, issues };
  return { order: { setControlNumber: set.controlNumber, ...begFields, shipTo: readShipTo(set.segments), lines }, issues };
}

function readBeg(beg: X12Segment, issues: EdiIssue[]): Pick<PurchaseOrder, 'purpose' | 'orderType' | 'poNumber' | 'poDate'> {
  for (const [element, name] of [
    [1, 'purpose'],
    [2, 'order type'],
    [3, 'PO number'],
    [5, 'PO date'],
  ] as const) {
    if (value(beg, element) === '') issues.push(elementIssue(beg, element, AK4_CODES.mandatoryMissing, `BEG${pad(element)} (${name}) is missing`));
  }
  const rawDate = value(beg, 5);
  const poDate = isoDate(rawDate);
  if (rawDate !== '' && poDate === null) issues.push(elementIssue(beg, 5, AK4_CODES.invalidDate, `BEG05 "${rawDate}" is not a date (CCYYMMDD)`, rawDate));
  if (value(beg, 3).length > 22) issues.push(elementIssue(beg, 3, AK4_CODES.tooLong, 'BEG03 is longer than 22 characters', value(beg, 3)));
  return { purpose: value(beg, 1), orderType: value(beg, 2), poNumber: value(beg, 3), poDate: poDate ?? '' };
}

function readLine(po1: X12Segment, index: number, issues: EdiIssue[]): PurchaseOrderLine {
  const rawQuantity = value(po1, 2);
  if (rawQuantity === '') issues.push(elementIssue(po1, 2, AK4_CODES.mandatoryMissing, `PO102 (quantity) of line ${index} is missing`));
  else if (!/^\d{1,9}$/.test(rawQuantity) || Number(rawQuantity) < 1) {
    issues.push(elementIssue(po1, 2, AK4_CODES.invalidCharacter, `PO102 "${rawQuantity}" of line ${index} is not a whole quantity of at least 1`, rawQuantity));
  }
  if (value(po1, 3) === '') issues.push(elementIssue(po1, 3, AK4_CODES.mandatoryMissing, `PO103 (unit of measure) of line ${index} is missing`));
  const price = value(po1, 4);
  if (price !== '' && !/^\d+(\.\d+)?$|^\.\d+$/.test(price)) issues.push(elementIssue(po1, 4, AK4_CODES.invalidCharacter, `PO104 "${price}" of line ${index} is not a price`, price));
  const productIds = readProductIds(po1);
  if (productIds.length === 0) issues.push(elementIssue(po1, 7, AK4_CODES.mandatoryMissing, `line ${index} names no product (PO106/PO107)`));
  return {
    index,
    assignedId: value(po1, 1) || null,
    quantity: Number(rawQuantity),
    uom: value(po1, 3),
    unitPrice: price === '' ? null : price,
    productIds,
    segmentPosition: po1.position,
  };
}

/** PO106–PO125: qualifier/value pairs. */
function readProductIds(po1: X12Segment): ProductId[] {
  const ids: ProductId[] = [];
  for (let element = 6; element + 1 < po1.elements.length; element += 2) {
    const qualifier = value(po1, element);
    const id = value(po1, element + 1);
    if (qualifier !== '' && id !== '') ids.push({ qualifier, value: id });
  }
  return ids;
}

function readShipTo(segments: readonly X12Segment[]): PurchaseOrder['shipTo'] {
  const n1 = segments.find((segment) => segment.tag === 'N1' && value(segment, 1) === 'ST');
  if (!n1) return null;
  return { name: value(n1, 2), idQualifier: value(n1, 3) || null, id: value(n1, 4) || null };
}

/** CTT01, when sent, must count the PO1 lines. */
function checkTotals(set: TransactionSet, lineCount: number, issues: EdiIssue[]): void {
  const ctt = set.segments.find((segment) => segment.tag === 'CTT');
  if (!ctt) return;
  const declared = value(ctt, 1);
  if (declared !== String(lineCount)) {
    issues.push(elementIssue(ctt, 1, AK4_CODES.invalidCode, `CTT01 says ${declared} line items, the order has ${lineCount} PO1 lines`, declared));
  }
}

function value(segment: X12Segment, element: number): string {
  return (segment.elements[element] ?? '').trim();
}

function pad(element: number): string {
  return String(element).padStart(2, '0');
}

function missingSegment(tag: string, position: number): EdiIssue {
  return {
    level: 'transaction',
    code: AK5_CODES.segmentsInError,
    segmentCode: AK3_CODES.mandatoryMissing,
    message: `the 850 has no ${tag} segment`,
    location: { segmentPosition: position, segmentTag: tag },
  };
}

function elementIssue(segment: X12Segment, element: number, code: string, message: string, badValue: string | null = null): EdiIssue {
  return {
    level: 'transaction',
    code: AK5_CODES.segmentsInError,
    segmentCode: AK3_CODES.elementErrors,
    elementCode: code,
    badValue,
    message,
    location: { segmentPosition: segment.position, segmentTag: segment.tag, elementPosition: element, offset: segment.offset },
  };
}

/** CCYYMMDD → YYYY-MM-DD, null when it is no calendar date. */
export function isoDate(raw: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day) ? null : `${year}-${month}-${day}`;
}
