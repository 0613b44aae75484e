import { createHash } from 'node:crypto';
import {
  functionalAcknowledgment,
  issueText,
  readInterchanges,
  readPurchaseOrder,
  X12SyntaxError,
  type EdiIssue,
  type Interchange,
  type PurchaseOrder,
  type TransactionSet,
} from '@crossdock/edi';
import type { ExceptionStore, ReplayHandler } from '@crossdock/exceptions';
import type { EdiDocuments } from './edi-documents';
import type { PartnerCatalog, PartnerDirectory } from './partner-directory';
import type { PurchaseOrderIntake, PurchaseOrderResult } from './purchase-order-intake';
import type { ChannelStore } from './ports';

/** A problem with its place, as the intake answers it. */
export interface IntakeIssue {
  level: EdiIssue['level'];
  code: string;
  message: string;
  segmentPosition: number | null;
  segmentTag: string | null;
  elementPosition: number | null;
}

/** What became of one interchange. */
export interface InterchangeResult {
  partnerId: string;
  /** ISA13 as sent. */
  controlNumber: string;
  /** The same sender and ISA13 came before: this is the first answer again, nothing was redone. */
  duplicate: boolean;
  /**
   * The 997 (A accepted, P partially accepted, R rejected) and its text (absent in answers
   * stored before it was kept here; null while the first submission is still in progress).
   */
  acknowledgment: { documentId: string; status: string; document?: string | null };
  purchaseOrders: PurchaseOrderResult[];
  issues: IntakeIssue[];
}

/**
 * A document that cannot be taken at all: unreadable (400), from a sender no partner file names
 * (400), or from a partner other than the one authenticated (403). The raw text is in the
 * exception store already when status is 400.
 */
export class EdiSubmissionError extends Error {
  override name = 'EdiSubmissionError';

  constructor(
    readonly status: 400 | 403,
    readonly code: 'EDI_UNREADABLE' | 'EDI_UNKNOWN_SENDER' | 'EDI_SENDER_MISMATCH',
    message: string,
    readonly issues: IntakeIssue[] = [],
  ) {
    super(message);
  }
}

/** What EdiIntake runs on. */
export interface EdiIntakeDependencies {
  partners: PartnerDirectory;
  store: ChannelStore;
  documents: EdiDocuments;
  exceptions: ExceptionStore;
  purchaseOrders: PurchaseOrderIntake;
  /** An interchange still `processing` after this long was left by a crash; a resend redoes it (default 2 min). */
  staleMs?: number;
}

/**
 * Inbound X12: every interchange of a document is read with its own separators and checked
 * (envelopes, then each 850), answered with a 997 (TA1 too when the envelope is bad), and each
 * valid PO placed through order capture. The same sender and ISA13 again gets the first answer
 * back; bad input lands in the exception store with the raw interchange, for replay once fixed.
 */
export class EdiIntake {
  constructor(private readonly deps: EdiIntakeDependencies) {}

  /**
   * @param allowed the partners the caller authenticated as (HTTP Basic, or a partner's token);
   *   null for a trusted caller (an internal token, a replay), which may submit for any sender
   */
  async submit(text: string, allowed: readonly string[] | null): Promise<InterchangeResult[]> {
    const interchanges = await this.read(text);
    // Every sender is checked before anything is taken: a document is refused whole or not at all.
    const senders = await Promise.all(interchanges.map(async (interchange) => ({ interchange, catalog: await this.partnerOf(interchange, allowed) })));
    const results: InterchangeResult[] = [];
    for (const { interchange, catalog } of senders) results.push(await this.receive(interchange, catalog, { replay: false }));
    return results;
  }

  /** Replays `malformed-edi` exceptions: the raw interchange is taken again, past the duplicate check; POs already placed stay duplicates. */
  replayHandler(): ReplayHandler {
    return async (exception) => {
      let interchanges: Interchange[];
      try {
        interchanges = readInterchanges(exception.rawPayload);
      } catch (error) {
        return { replayed: false, reason: `the raw document is still unreadable: ${error instanceof Error ? error.message : String(error)}` };
      }
      const notes: string[] = [];
      const unresolved: string[] = [];
      for (const interchange of interchanges) {
        const catalog = this.deps.partners.sender(interchange.header);
        if (!catalog) return { replayed: false, reason: `no partner file names ISA sender ${interchange.header.senderQualifier}/${interchange.header.senderId} yet` };
        const result = await this.receive(interchange, catalog, { replay: true });
        notes.push(...result.purchaseOrders.map((po) => `PO ${po.poNumber}: ${po.outcome}${po.orderId ? ` ${po.orderId}` : ''}`));
        unresolved.push(...result.issues.map((issue) => issue.message), ...result.purchaseOrders.filter((po) => po.outcome === 'held').flatMap((po) => po.errors.map((e) => `PO ${po.poNumber}: ${e.message}`)));
      }
      // Still not processable: the exception stays open (it was counted again) until the data is fixed.
      if (unresolved.length > 0) return { replayed: false, reason: `still not processable: ${unresolved.join('; ')}` };
      return { replayed: true, note: notes.join('; ') || 'no purchase orders in the document' };
    };
  }

  private async read(text: string): Promise<Interchange[]> {
    try {
      return readInterchanges(text);
    } catch (error) {
      if (!(error instanceof X12SyntaxError)) throw error;
      await this.deps.exceptions.record({ kind: 'malformed-edi', subject: `edi:unreadable:${digest(text)}`, channel: 'edi', reason: error.message, rawPayload: text });
      throw new EdiSubmissionError(400, 'EDI_UNREADABLE', error.message, [{ level: 'interchange', code: '024', message: error.message, ...place(error.location) }]);
    }
  }

  private async partnerOf(interchange: Interchange, allowed: readonly string[] | null): Promise<PartnerCatalog> {
    const { senderQualifier, senderId, controlNumber } = interchange.header;
    const catalog = this.deps.partners.sender(interchange.header);
    if (!catalog) {
      const message = `no trading partner is configured for ISA sender ${senderQualifier}/${senderId} (ISA05/ISA06)`;
      await this.deps.exceptions.record({ kind: 'malformed-edi', subject: `edi:${senderQualifier}/${senderId}:${controlNumber}`, channel: 'edi', reason: message, rawPayload: interchange.raw });
      throw new EdiSubmissionError(400, 'EDI_UNKNOWN_SENDER', message, [{ level: 'interchange', code: '006', message, segmentPosition: 1, segmentTag: 'ISA', elementPosition: 6 }]);
    }
    if (allowed !== null && !allowed.includes(catalog.partner.id)) {
      throw new EdiSubmissionError(403, 'EDI_SENDER_MISMATCH', `ISA sender ${senderQualifier}/${senderId} is partner ${catalog.partner.id}, not the authenticated ${allowed.join(', ') || 'caller'}`);
    }
    return catalog;
  }

  private async receive(interchange: Interchange, catalog: PartnerCatalog, options: { replay: boolean }): Promise<InterchangeResult> {
    const { partner } = catalog;
    const id = `${partner.id}:${interchange.header.controlNumber}`;
    const now = new Date();
    // A new interchange (its claim is ours) has no 997 yet; a replay or a takeover may have one.
    let fresh = false;
    if (!options.replay) {
      const claim = await this.deps.store.claimInterchange({ id, partnerId: partner.id, controlNumber: interchange.header.controlNumber, receivedAt: now.toISOString(), state: 'processing', result: null });
      if (!claim.created) {
        const stale = now.getTime() - Date.parse(claim.existing.receivedAt) > (this.deps.staleMs ?? 120_000);
        if (claim.existing.result !== null) return { ...(JSON.parse(claim.existing.result) as InterchangeResult), duplicate: true };
        if (!stale) return this.inProgress(interchange, partner.id);
      }
      fresh = claim.created;
    }
    const readings = this.readOrders(interchange);
    const ack = functionalAcknowledgment(interchange, new Map([...readings].map(([set, reading]) => [set, reading.issues])));
    const issues = allIssues(interchange, readings);
    // The 997 answers the syntax, not the POs' outcomes: it is issued while the POs are placed.
    const [acknowledgment, purchaseOrders] = await Promise.all([
      this.deps.documents.issue({ partner, type: '997', reference: interchange.header.controlNumber, orderId: null, status: ack.status, sets: ack.sets, preamble: ack.preamble, fresh }),
      this.placeOrders(interchange, readings, catalog, { interchangeId: id, raw: interchange.raw, now }),
      issues.length > 0 ? this.recordRejected(interchange, partner.id, issues) : null,
    ]);
    const result: InterchangeResult = {
      partnerId: partner.id,
      controlNumber: interchange.header.controlNumber,
      duplicate: false,
      acknowledgment: { documentId: acknowledgment.id, status: ack.status, document: acknowledgment.body },
      purchaseOrders,
      issues: issues.map(toIntakeIssue),
    };
    if (!options.replay) await this.deps.store.finishInterchange(id, JSON.stringify(result));
    return result;
  }

  /** The interchange's POs placed one after the other (none when its envelope is bad). */
  private async placeOrders(
    interchange: Interchange,
    readings: ReadonlyMap<TransactionSet, { order: PurchaseOrder | null }>,
    catalog: PartnerCatalog,
    context: { interchangeId: string; raw: string; now: Date },
  ): Promise<PurchaseOrderResult[]> {
    const placed: PurchaseOrderResult[] = [];
    if (interchange.issues.length > 0) return placed;
    for (const { order } of readings.values()) {
      if (order) placed.push(await this.deps.purchaseOrders.place(catalog, order, context));
    }
    return placed;
  }

  /** Each 850 set of a group the envelope accepts, read; other sets are left to the 997 (AK5 1: not supported). */
  private readOrders(interchange: Interchange): Map<TransactionSet, { order: PurchaseOrder | null; issues: EdiIssue[] }> {
    const readings = new Map<TransactionSet, { order: PurchaseOrder | null; issues: EdiIssue[] }>();
    for (const group of interchange.groups) {
      for (const set of group.sets) {
        if (set.issues.length > 0 || group.issues.length > 0) {
          readings.set(set, { order: null, issues: [] });
        } else if (set.setId !== '850') {
          readings.set(set, { order: null, issues: [{ level: 'transaction', code: '1', message: `transaction set ${set.setId} is not taken here (only 850)`, location: { segmentPosition: 1, segmentTag: 'ST', elementPosition: 1 } }] });
        } else {
          readings.set(set, readPurchaseOrder(set));
        }
      }
    }
    return readings;
  }

  private async recordRejected(interchange: Interchange, partnerId: string, issues: readonly EdiIssue[]): Promise<void> {
    await this.deps.exceptions.record({
      kind: 'malformed-edi',
      subject: `edi:${partnerId}:${interchange.header.controlNumber}`,
      channel: 'edi',
      reason: issues.map(issueText).join('; '),
      rawPayload: interchange.raw,
    });
  }

  private inProgress(interchange: Interchange, partnerId: string): InterchangeResult {
    return {
      partnerId,
      controlNumber: interchange.header.controlNumber,
      duplicate: true,
      acknowledgment: { documentId: '', status: 'IN_PROGRESS', document: null },
      purchaseOrders: [],
      issues: [],
    };
  }
}

function allIssues(interchange: Interchange, readings: ReadonlyMap<TransactionSet, { issues: EdiIssue[] }>): EdiIssue[] {
  return [
    ...interchange.issues,
    ...interchange.groups.flatMap((group) => [...group.issues, ...group.sets.flatMap((set) => [...set.issues, ...(readings.get(set)?.issues ?? [])])]),
  ];
}

function toIntakeIssue(issue: EdiIssue): IntakeIssue {
  return { level: issue.level, code: issue.code, message: issueText(issue), ...place(issue.location) };
}

function place(location: EdiIssue['location']): Pick<IntakeIssue, 'segmentPosition' | 'segmentTag' | 'elementPosition'> {
  return { segmentPosition: location.segmentPosition ?? null, segmentTag: location.segmentTag ?? null, elementPosition: location.elementPosition ?? null };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
