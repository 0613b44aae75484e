import { describe, expect, it } from '@jest/globals';
import { STUPIDEDI_850, VICS_850, x12Fixture } from '@crossdock/testkit';
import {
  buildDocument,
  checkDocument,
  functionalAcknowledgment,
  impliedCents,
  invoiceSet,
  poAcknowledgmentSet,
  readInterchanges,
  readPurchaseOrder,
  shipNoticeSet,
  type Interchange,
  type OutboundInterchange,
  type TransactionSet,
} from '../src';

function firstSet(text: string): { interchange: Interchange; set: TransactionSet } {
  const [interchange] = readInterchanges(text);
  const set = interchange?.groups[0]?.sets[0];
  if (!interchange || !set) throw new Error('no set');
  return { interchange, set };
}

const envelope = (sets: OutboundInterchange['sets'], functionalId: string): OutboundInterchange => ({
  sender: { qualifier: 'ZZ', id: 'CROSSDOCK' },
  receiver: { qualifier: '12', id: '4405197800' },
  controlNumber: 42,
  groupControlNumber: 42,
  functionalId,
  at: new Date('2026-11-26T10:04:05Z'),
  sets,
});

/** Segments of the first set as `TAG*e1*e2` strings, for readable expectations. */
function segmentsOf(text: string): string[] {
  const { set, interchange } = firstSet(text);
  return set.segments.map((s) => s.elements.join(interchange.separators.element));
}

describe('the 850 reader', () => {
  it('reads the VICS sample: BEG, ship-to, six lines with buyer and vendor part numbers', () => {
    const { order, issues } = readPurchaseOrder(firstSet(x12Fixture(VICS_850)).set);
    expect(issues).toEqual([]);
    expect(order).toMatchObject({ purpose: '00', orderType: 'SA', poNumber: '08292233294', poDate: '2010-11-27', shipTo: { name: 'XYZ RETAIL', idQualifier: '9', id: '0003947268292' } });
    expect(order?.lines).toHaveLength(6);
    expect(order?.lines[0]).toMatchObject({
      index: 1,
      assignedId: '1',
      quantity: 120,
      uom: 'EA',
      unitPrice: '9.25',
      productIds: [
        { qualifier: 'CB', value: '065322-117' },
        { qualifier: 'PR', value: 'RO' },
        { qualifier: 'VN', value: 'AB3542' },
      ],
    });
  });

  it('reads the stupidedi 850 (no PO101, VN only)', () => {
    const { order } = readPurchaseOrder(firstSet(x12Fixture(STUPIDEDI_850)).set);
    expect(order).toMatchObject({ poNumber: 'PO12345', lines: [{ assignedId: null, quantity: 1, uom: 'EA', productIds: [{ qualifier: 'VN', value: 'VENDORSKU' }] }] });
  });

  it('reports every element problem at once, with AK3/AK4 codes and positions', () => {
    const broken = x12Fixture(VICS_850).replace('PO1*1*120*EA', 'PO1*1*1X0*EA').replace('BEG*00*SA*08292233294**20101127', 'BEG*00*SA*08292233294**20101332').replace('CTT*6', 'CTT*7');
    const { order, issues } = readPurchaseOrder(firstSet(broken).set);
    expect(order).toBeNull();
    expect(issues.map((i) => [i.location.segmentTag, i.location.segmentPosition, i.location.elementPosition, i.segmentCode, i.elementCode])).toEqual(
      expect.arrayContaining([
        ['PO1', 13, 2, '8', '6'],
        ['BEG', 2, 5, '8', '8'],
        ['CTT', expect.any(Number), 1, '8', '7'],
      ]),
    );
  });
});

describe('the 997', () => {
  it('accepts the VICS interchange: AK1 PO 1421, AK2/AK5 A, AK9 A 1 1 1', () => {
    const interchange = firstSet(x12Fixture(VICS_850)).interchange;
    const ack = functionalAcknowledgment(interchange);
    expect(ack.status).toBe('A');
    const text = buildDocument(envelope(ack.sets, 'FA'));
    expect(checkDocument(text)).toEqual([]);
    expect(segmentsOf(text)).toEqual(['ST*997*0001', 'AK1*PO*1421', 'AK2*850*000000010', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
  });

  it('rejects a set with element errors: AK3 with position and AK4 with the element, the bad value echoed', () => {
    const { interchange, set } = firstSet(x12Fixture(VICS_850).replace('PO1*1*120*EA', 'PO1*1*1X0*EA'));
    const { issues } = readPurchaseOrder(set);
    const ack = functionalAcknowledgment(interchange, new Map([[set, issues]]));
    expect(ack.status).toBe('R');
    expect(segmentsOf(buildDocument(envelope(ack.sets, 'FA')))).toEqual(['ST*997*0001', 'AK1*PO*1421', 'AK2*850*000000010', 'AK3*PO1*13**8', 'AK4*2**6*1X0', 'AK5*R*5', 'AK9*R*1*1*0', 'SE*8*0001']);
  });

  it('rejects a bad envelope with a TA1 and AK9 R, whatever the sets say', () => {
    const interchange = firstSet(x12Fixture(VICS_850).replace('IEA*1*000003438', 'IEA*1*000003439')).interchange;
    const ack = functionalAcknowledgment(interchange);
    expect(ack.status).toBe('R');
    expect(ack.preamble).toEqual([['TA1', '000003438', '101127', '1719', 'R', '001']]);
    const text = buildDocument({ ...envelope(ack.sets, 'FA'), preamble: ack.preamble });
    expect(checkDocument(text)).toEqual([]);
    expect(segmentsOf(text)).toContain('AK9*R*1*1*0');
  });

  it('a segment count off by one is AK5 4 (an envelope reason: no AK3)', () => {
    const interchange = firstSet(x12Fixture(STUPIDEDI_850).replace('SE*5*0001', 'SE*6*0001')).interchange;
    const text = buildDocument(envelope(functionalAcknowledgment(interchange).sets, 'FA'));
    expect(segmentsOf(text)).toEqual(['ST*997*0001', 'AK1*PO*1', 'AK2*850*0001', 'AK5*R*4', 'AK9*R*1*1*0', 'SE*6*0001']);
  });
});

describe('outbound documents pass the same reader', () => {
  const lines = [
    { assignedId: '1', productIds: [{ qualifier: 'CB', value: '065322-117' }], uom: 'EA' },
    { assignedId: '2', productIds: [{ qualifier: 'VN', value: 'RD5322' }], uom: 'CA' },
  ];

  it('855: accepted, backordered and rejected lines, BAK02 AC', () => {
    const set = poAcknowledgmentSet({
      poNumber: '08292233294',
      poDate: '2010-11-27',
      orderId: 'ORD-H123',
      at: new Date('2026-11-26T10:04:05Z'),
      lines: [
        { ...lines[0]!, orderedQuantity: 120, unitPrice: '9.25', status: 'accepted', acceptedQuantity: 120, backorderedQuantity: 0 },
        { ...lines[1]!, orderedQuantity: 10, unitPrice: null, status: 'backordered', acceptedQuantity: 4, backorderedQuantity: 6 },
      ],
    });
    const text = buildDocument(envelope([set], 'PR'));
    expect(segmentsOf(text)).toEqual([
      'ST*855*0001',
      'BAK*00*AC*08292233294*20101127*****20261126',
      'REF*VN*ORD-H123',
      'PO1*1*120*EA*9.25*PE*CB*065322-117',
      'ACK*IA*120*EA*068*20261126',
      'PO1*2*10*CA***VN*RD5322',
      'ACK*IA*4*CA*068*20261126',
      'ACK*IB*6*CA',
      'CTT*2',
      'SE*10*0001',
    ]);
  });

  it('856: shipment, order and item levels with the partner’s ids', () => {
    const set = shipNoticeSet({
      shipmentId: 'SHP-1',
      at: new Date('2026-11-26T10:04:05Z'),
      carrier: 'UPS',
      trackingNumber: '1Z999',
      poNumber: 'PO12345',
      poDate: '2026-07-09',
      orderId: 'ORD-H1',
      lines: [{ ...lines[0]!, quantity: 3 }],
    });
    const text = buildDocument(envelope([set], 'SH'));
    expect(checkDocument(text)).toEqual([]);
    expect(segmentsOf(text)).toEqual(expect.arrayContaining(['BSN*00*SHP-1*20261126*1004*0001', 'HL*3*2*I', 'LIN*1*CB*065322-117', 'SN1**3*EA', 'CTT*3']));
  });

  it('810: lines, the total in implied cents, computed without floats', () => {
    const set = invoiceSet({
      invoiceNumber: 'INV-7',
      issuedAt: new Date('2026-11-26T10:04:05Z'),
      poNumber: 'PO12345',
      poDate: '2026-07-09',
      orderId: 'ORD-H1',
      total: '1110.00',
      lines: [{ ...lines[0]!, quantity: 120, unitPrice: '9.25' }],
    });
    expect(segmentsOf(buildDocument(envelope([set], 'IN')))).toEqual(expect.arrayContaining(['BIG*20261126*INV-7*20260709*PO12345', 'IT1*1*120*EA*9.25*PE*CB*065322-117', 'TDS*111000', 'CTT*1']));
    expect(impliedCents('0.1')).toBe('10');
    expect(impliedCents('19.99')).toBe('1999');
  });

  it('refuses data that contains a delimiter instead of writing a corrupt document', () => {
    const set = shipNoticeSet({ shipmentId: 'SHP*1', at: new Date(), carrier: 'UPS', trackingNumber: '1Z', poNumber: 'P', poDate: '2026-01-01', orderId: 'O', lines: [] });
    expect(() => buildDocument(envelope([set], 'SH'))).toThrow(/BSN02 "SHP\*1" contains the delimiter/);
  });
});
