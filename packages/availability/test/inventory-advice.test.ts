import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { buildDocument, checkDocument, readInterchanges } from '@crossdock/edi';
import { repoRoot } from '@crossdock/testkit';
import { inventoryAdviceSet, readAdvicePartner } from '../src';

describe('EDI 846 inventory advice', () => {
  it('writes an 846 that passes the outbound document check, naming items by the partner cross-reference', () => {
    const partner = readAdvicePartner(join(repoRoot(), 'config', 'partners'), 'acme-retail');
    const at = new Date('2026-11-27T10:04:05Z');
    const document = buildDocument({
      sender: partner.receiver,
      receiver: partner.isa,
      controlNumber: 42,
      groupControlNumber: 42,
      functionalId: 'IB',
      at,
      sets: [inventoryAdviceSet(partner, { reference: 'ATS42', at, items: [{ sku: 'SKU-00107', quantity: 17 }, { sku: 'SKU-09999', quantity: 0 }] })],
    });
    expect(checkDocument(document)).toEqual([]);
    const [interchange] = readInterchanges(document);
    const set = interchange?.groups[0]?.sets[0];
    expect(interchange?.groups[0]?.functionalId).toBe('IB');
    expect(set?.setId).toBe('846');
    const segments = (set?.segments ?? []).filter((s) => s.tag !== 'ST' && s.tag !== 'SE').map((s) => s.elements.join('*'));
    expect(segments).toEqual([
      'BIA*00*MM*ATS42*20261127*1004',
      'LIN*1*VN*DX1875*BP*067504-118*UP*012345678905',
      'QTY*33*17*EA',
      'LIN*2*VN*SKU-09999',
      'QTY*33*0*EA',
      'CTT*2',
    ]);
  });
});
