import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocument, x12Stamp, type OutboundSet, type SegmentValues } from '@crossdock/edi';
import { z } from 'zod';
import type { ChannelConnector, PushItem, PushOutcome } from '../ports';
import { postJson } from './http-push';

/**
 * The few fields of a trading partner file (config/partners/<id>.json, owned and fully
 * validated by packages/channels) that an 846 needs: the ISA ids and the item cross-reference.
 */
const partnerFields = z.object({
  id: z.string(),
  isa: z.object({ qualifier: z.string().length(2), id: z.string().min(1).max(15) }),
  receiver: z.object({ qualifier: z.string().length(2), id: z.string().min(1).max(15) }),
  items: z.array(z.object({ sku: z.string(), buyerPart: z.string().optional(), vendorPart: z.string().optional(), upc: z.string().optional() })).default([]),
  usage: z.enum(['P', 'T']).default('P'),
});
export type AdvicePartner = z.infer<typeof partnerFields>;

/** Reads the partner's file; throws naming the file and each bad value. */
export function readAdvicePartner(partnersDir: string, partnerId: string): AdvicePartner {
  const path = join(partnersDir, `${partnerId}.json`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the partner for its 846 feed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = partnerFields.safeParse(value);
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** What one 846 says: each item's quantity available for sale (QTY 33), in each. */
export interface InventoryAdvice {
  reference: string;
  at: Date;
  items: readonly { sku: string; quantity: number }[];
}

/**
 * The 846 inventory inquiry/advice (BIA 00 = original, MM = merchandise management): per item a
 * LIN naming it with the partner's own ids where the cross-reference has them (VN vendor part,
 * BP buyer part, UP UPC), else our SKU as the vendor part; QTY*33 = available for sale.
 */
export function inventoryAdviceSet(partner: AdvicePartner, advice: InventoryAdvice): OutboundSet {
  const stamp = x12Stamp(advice.at);
  const xref = new Map(partner.items.map((item) => [item.sku, item]));
  const body: SegmentValues[] = [['BIA', '00', 'MM', advice.reference, stamp.date, stamp.time]];
  advice.items.forEach((item, i) => {
    const known = xref.get(item.sku);
    const ids: string[] = ['VN', known?.vendorPart ?? item.sku];
    if (known?.buyerPart) ids.push('BP', known.buyerPart);
    if (known?.upc) ids.push('UP', known.upc);
    body.push(['LIN', String(i + 1), ...ids], ['QTY', '33', String(item.quantity), 'EA']);
  });
  body.push(['CTT', String(advice.items.length)]);
  return { setId: '846', body };
}

/** Options of the 846 connector. */
export interface InventoryAdviceOptions {
  /** Where the partner takes documents (its AS2/VAN gateway's HTTP intake). */
  url: string;
  partner: AdvicePartner;
  batchSize: number;
  /** The next interchange control number (default: a counter seeded from the clock). */
  nextControlNumber?: () => number;
  clock?: () => number;
}

/**
 * EDI partners that want inventory advice: each push is one interchange with one 846 listing
 * the items, checked by the same reader inbound documents meet before it is sent, and POSTed to
 * the partner as `{ document }`. The partner's 2xx acknowledges every item in it.
 */
export class InventoryAdviceConnector implements ChannelConnector {
  readonly maxBatch: number;
  private readonly nextControlNumber: () => number;
  private readonly clock: () => number;

  constructor(private readonly options: InventoryAdviceOptions) {
    this.maxBatch = options.batchSize;
    this.clock = options.clock ?? Date.now;
    let counter = Math.floor(this.clock() / 1000) % 900_000_000;
    this.nextControlNumber = options.nextControlNumber ?? (() => (counter = (counter % 999_999_999) + 1));
  }

  async push(items: readonly PushItem[]): Promise<PushOutcome[]> {
    const control = this.nextControlNumber();
    const at = new Date(this.clock());
    const partner = this.options.partner;
    const document = buildDocument({
      sender: partner.receiver,
      receiver: partner.isa,
      controlNumber: control,
      groupControlNumber: control,
      functionalId: 'IB',
      usage: partner.usage,
      at,
      sets: [inventoryAdviceSet(partner, { reference: `ATS${control}`, at, items })],
    });
    const answer = await postJson(this.options.url, { partner: partner.id, document });
    return items.map(() => (answer.ok ? { status: 'acknowledged' } : answer.outcome));
  }
}
