import type { ExceptionStore, ReplayHandler } from '@crossdock/exceptions';
import { decideRetry, RoundLoop, validateOutboxPolicy, type OutboxPolicy } from '@crossdock/orders';
import { request } from 'undici';
import { DueWakeup } from './due-wakeup';
import type { PartnerDirectory } from './partner-directory';
import type { ChannelStore, EdiDocument } from './ports';
import type { ChannelLog } from './channel-log';

/** Options of DocumentDeliveryWorker. */
export interface DocumentDeliveryOptions {
  store: ChannelStore;
  partners: PartnerDirectory;
  exceptions: ExceptionStore;
  /** The same retry policy as the order outbox (attempts, exponential backoff with jitter). */
  policy: OutboxPolicy;
  /**
   * The safety poll: how often due documents are looked for when nothing woke the worker. New
   * documents (wake) and this process's retries (at their due time) start a round themselves;
   * the poll finds what other replicas or a crash left.
   */
  intervalMs: number;
  /** Per delivery request. */
  timeoutMs?: number;
  batchSize?: number;
  log?: ChannelLog;
}

/**
 * The outbox of outbound EDI documents: POSTs each QUEUED document to its partner's endpoint,
 * retries failures with the order outbox's backoff, and after the last attempt marks it FAILED
 * and records an `edi-delivery` exception, whose replay queues it again. Delivery is at least
 * once; partners recognise a repeat by its ISA13.
 */
export class DocumentDeliveryWorker {
  private readonly loop: RoundLoop;
  private readonly retries: DueWakeup;

  constructor(private readonly options: DocumentDeliveryOptions) {
    validateOutboxPolicy(options.policy);
    this.loop = new RoundLoop({
      round: async () => {
        await this.runOnce().catch((error: unknown) => this.options.log?.({ level: 'error', message: 'EDI document delivery round failed; trying again', error }));
        return false;
      },
      intervalMs: options.intervalMs,
    });
    this.retries = new DueWakeup(() => this.loop.wake());
  }

  /** One round: every due document this worker could claim, delivered or rescheduled. Returns how many were attempted. */
  async runOnce(now = new Date()): Promise<number> {
    const due = await this.options.store.claimDueDocuments(now, this.options.batchSize ?? 20);
    await Promise.all(due.map((document) => this.deliver(document)));
    return due.length;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.retries.clear();
    await this.loop.stop();
  }

  /** A round soon: a document was queued for delivery. */
  wake(): void {
    this.loop.wake();
  }

  /** Replay of an `edi-delivery` exception: the FAILED document is QUEUED again, due now. */
  replayHandler(): ReplayHandler {
    return async (exception) => {
      const [document] = await this.options.store.documents([exception.subject]);
      if (!document) return { replayed: false, reason: `document ${exception.subject} is gone` };
      if (document.delivery.state !== 'FAILED') return { replayed: true, note: `document ${document.id} is ${document.delivery.state}; nothing to requeue` };
      await this.options.store.updateDelivery(document.id, { ...document.delivery, state: 'QUEUED', attempts: 0, nextAttemptAt: new Date().toISOString() });
      this.wake();
      return { replayed: true, note: `document ${document.id} queued for delivery again` };
    };
  }

  private async deliver(document: EdiDocument): Promise<void> {
    const partner = this.options.partners.get(document.partnerId)?.partner;
    const attempts = document.delivery.attempts + 1;
    if (!partner?.delivery) {
      await this.options.store.updateDelivery(document.id, { ...document.delivery, state: 'PULL' });
      return;
    }
    try {
      const response = await request(partner.delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/edi-x12', 'x-crossdock-document-id': document.id, ...partner.delivery.headers },
        body: document.body,
        headersTimeout: this.options.timeoutMs ?? 10_000,
        bodyTimeout: this.options.timeoutMs ?? 10_000,
      });
      await response.body.dump();
      if (response.statusCode >= 300) throw new Error(`${partner.delivery.url} answered HTTP ${response.statusCode}`);
      await this.options.store.updateDelivery(document.id, { ...document.delivery, state: 'DELIVERED', attempts, lastError: null, deliveredAt: new Date().toISOString() });
    } catch (error) {
      await this.recordFailure(document, attempts, error);
    }
  }

  private async recordFailure(document: EdiDocument, attempts: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const decision = decideRetry({ attempts, permanent: false, policy: this.options.policy, maxPermanentAttempts: 1, now: new Date() });
    const state = decision.giveUp ? 'FAILED' : 'QUEUED';
    await this.options.store.updateDelivery(document.id, { ...document.delivery, state, attempts, lastError: message, nextAttemptAt: decision.nextAttemptAt.toISOString() });
    this.options.log?.({ level: decision.giveUp ? 'error' : 'warn', message: `delivery of ${document.type} ${document.id} to ${document.partnerId} failed (${state})`, error });
    if (!decision.giveUp) {
      this.retries.at(decision.nextAttemptAt);
      return;
    }
    await this.options.exceptions.record({
      kind: 'edi-delivery',
      subject: document.id,
      channel: 'edi',
      reason: `${document.type} for ${document.partnerId} not delivered after ${attempts} attempts: ${message}`,
      rawPayload: document.body,
      attempts,
    });
  }
}
