import { randomBytes } from 'node:crypto';
import { buildDocument, controlNumber, type OutboundSet, type SegmentValues } from '@crossdock/edi';
import type { TradingPartner } from './channel-config';
import type { ChannelStore, EdiDocument, EdiDocumentType } from './ports';

/** GS01 per outbound set. */
const FUNCTIONAL_IDS: Record<EdiDocumentType, string> = { '997': 'FA', '855': 'PR', '856': 'SH', '810': 'IN' };

/** What to issue. */
export interface DocumentRequest {
  partner: TradingPartner;
  type: EdiDocumentType;
  /** Unique per partner and type: a second request for it returns the first document. */
  reference: string;
  orderId: string | null;
  status: string | null;
  sets: readonly OutboundSet[];
  preamble?: readonly SegmentValues[];
  /**
   * The caller's own once-only guard says nothing was issued for this reference yet (a new
   * interchange, a PO's new attempt): the look-up before issuing is skipped. Should one exist
   * after all (a crashed attempt taken over), the first document is still the answer; only a
   * control number goes unused.
   */
  fresh?: boolean;
}

/**
 * Issues outbound documents: takes the partner's next control number, writes the interchange,
 * checks it with the same reader inbound documents pass, and stores it (QUEUED for delivery when
 * the partner has an endpoint, PULL otherwise) before anyone sends it. Issuing the same
 * reference twice returns the first document: nothing is sent twice.
 */
export class EdiDocuments {
  constructor(
    private readonly store: ChannelStore,
    /** Told when a document was stored QUEUED for delivery (the delivery worker starts on it). */
    private readonly onQueued: () => void = () => undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async issue(request: DocumentRequest): Promise<EdiDocument> {
    const earlier = request.fresh ? null : await this.store.documentByReference(request.partner.id, request.type, request.reference);
    if (earlier) return earlier;
    const now = this.clock();
    const control = await this.store.nextControlNumber(request.partner.id);
    const body = buildDocument({
      sender: request.partner.receiver,
      receiver: request.partner.isa,
      controlNumber: control,
      groupControlNumber: control,
      functionalId: FUNCTIONAL_IDS[request.type],
      usage: request.partner.usage,
      at: now,
      sets: request.sets,
      ...(request.preamble ? { preamble: request.preamble } : {}),
    });
    const document: EdiDocument = {
      id: newDocumentId(now),
      partnerId: request.partner.id,
      type: request.type,
      reference: request.reference,
      orderId: request.orderId,
      controlNumber: controlNumber(control),
      status: request.status,
      body,
      createdAt: now.toISOString(),
      delivery: { state: request.partner.delivery ? 'QUEUED' : 'PULL', attempts: 0, nextAttemptAt: now.toISOString(), lastError: null, deliveredAt: null },
    };
    if ((await this.store.addDocument(document)) === 'inserted') {
      if (document.delivery.state === 'QUEUED') this.onQueued();
      return document;
    }
    const winner = await this.store.documentByReference(request.partner.id, request.type, request.reference);
    if (!winner) throw new Error(`document ${request.type} ${request.reference} for ${request.partner.id} exists but cannot be read`);
    return winner;
  }
}

/** `EDD-<time>-<random>`: sorts by creation time, so lists page newest first by id. */
function newDocumentId(now: Date): string {
  return `EDD-${now.getTime().toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
}
