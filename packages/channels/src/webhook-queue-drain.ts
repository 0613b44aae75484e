import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExceptionStore } from '@crossdock/exceptions';
import { RoundLoop } from '@crossdock/orders';
import type { ChannelLog } from './channel-log';
import type { ChannelStore } from './ports';
import type { TakenWebhook, WebhookQueue } from './webhook-queue';

/** Options of WebhookQueueDrain. */
export interface WebhookQueueDrainOptions {
  queue: WebhookQueue;
  store: ChannelStore;
  exceptions: ExceptionStore;
  /** Called once accepted deliveries are in the inbox (the inbox worker starts on them). */
  onStored: () => void;
  /** Entries per hand-over (default 200): the inbox rows of one go are one insertMany. */
  batchSize?: number;
  /**
   * Pause after a hand-over that was not full (default 25 ms), so that under load each write to
   * MongoDB carries many deliveries rather than one (FerretDB commits once per write, and the
   * order work shares the database); a full batch is followed at once.
   */
  lingerMs?: number;
  /** How long a take waits for a first entry (default 500 ms; stop() waits at most this long). */
  blockMs?: number;
  /** Entries a dead replica took and never settled are taken over after this long (default 30 s). */
  claimIdleMs?: number;
  /** Pause after a failed hand-over (default 1 s). */
  retryMs?: number;
  /**
   * An entry that failed to be stored this many times (default 5) while at least `giveUpMs`
   * passed (default 30 s) is kept as a `malformed-webhook` exception instead (raw entry, the last
   * error; replay stores it in the inbox), so one entry the inbox cannot take never holds up the
   * queue behind it. While the exception store fails too (MongoDB down), it stays queued.
   */
  entryAttempts?: number;
  giveUpMs?: number;
  /** This replica's name in the consumer group (default: a random one per process). */
  consumer?: string;
  log?: ChannelLog;
}

/** Failed hand-overs of one queue entry, remembered by a drain until the entry is settled. */
interface EntryFailures {
  count: number;
  since: number;
}

/** Entries with failures remembered at most; past it the oldest memories go (they only delay a give-up). */
const MAX_REMEMBERED_FAILURES = 10_000;

/**
 * Moves acknowledged webhooks from the queue into the inbox (MongoDB), where the inbox worker
 * processes, retries and replays them: accepted ones as inbox rows (a redelivery's row exists
 * already and is not doubled), refused ones as `malformed-webhook` exceptions with their raw
 * body. An entry is settled only after its row or exception is stored, so a crash in between
 * hands it over again (at least once; the row's unique id makes that harmless). Entries are
 * stored each on its own: one that keeps failing (or cannot be read) becomes an exception, the
 * others go on.
 */
export class WebhookQueueDrain {
  private readonly loop: RoundLoop;
  private readonly consumer: string;
  private readonly failures = new Map<string, EntryFailures>();

  constructor(private readonly options: WebhookQueueDrainOptions) {
    this.consumer = options.consumer ?? `commerce-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.loop = new RoundLoop({
      round: async () => {
        const count = await this.runOnce().catch(async (error: unknown) => {
          this.options.log?.({ level: 'error', message: 'webhook queue hand-over failed; trying again', error });
          // Redis or MongoDB down: try again after a pause, not at the linger's pace.
          await sleep(this.options.retryMs ?? 1_000);
          return 0;
        });
        return count >= this.batchSize;
      },
      intervalMs: options.lingerMs ?? 25,
    });
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  /**
   * One hand-over: the entries taken, stored, and settled; answers how many. Rejects (after
   * settling what was stored) when an entry could be neither stored nor given up on, so the loop
   * pauses before it tries again.
   */
  async runOnce(blockMs = this.options.blockMs ?? 500): Promise<number> {
    const taken = await this.options.queue.take(this.consumer, { count: this.batchSize, blockMs, claimIdleMs: this.options.claimIdleMs ?? 30_000 });
    if (taken.length === 0) return 0;
    const outcomes = await Promise.allSettled(taken.map((entry) => this.store(entry)));
    const settled: string[] = [];
    let firstError: unknown = null;
    for (const [index, entry] of taken.entries()) {
      const outcome = outcomes[index];
      if (outcome?.status === 'fulfilled' || (outcome && (await this.gaveUp(entry, outcome.reason)))) {
        this.failures.delete(entry.entryId);
        settled.push(entry.entryId);
      } else {
        firstError ??= outcome?.reason ?? new Error('no outcome');
      }
    }
    await this.options.queue.settle(settled);
    if (taken.some((entry, index) => entry.webhook?.kind === 'accepted' && outcomes[index]?.status === 'fulfilled')) this.options.onStored();
    if (firstError !== null) throw firstError;
    return taken.length;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Counts a failed hand-over of `entry`; once it failed often enough for long enough, records it
   * as an exception and answers true (it can be settled). False: try it again later.
   */
  private async gaveUp(entry: TakenWebhook, error: unknown): Promise<boolean> {
    const now = Date.now();
    const failures = this.failures.get(entry.entryId) ?? { count: 0, since: now };
    failures.count += 1;
    this.failures.set(entry.entryId, failures);
    if (this.failures.size > MAX_REMEMBERED_FAILURES) this.failures.delete(this.failures.keys().next().value ?? entry.entryId);
    if (failures.count < (this.options.entryAttempts ?? 5) || now - failures.since < (this.options.giveUpMs ?? 30_000)) return false;
    const reason = `could not be stored in the webhook inbox after ${failures.count} attempts over ${Math.round((now - failures.since) / 1000)} s: ${error instanceof Error ? error.message : String(error)}`;
    const report =
      entry.webhook === null
        ? { subject: `webhook-queue:${entry.entryId}`, channel: null, rawPayload: entry.unreadable.raw }
        : // The whole entry, so a replay can store it as it was queued.
          { subject: entry.webhook.id, channel: entry.webhook.kind === 'refused' ? entry.webhook.channel : null, rawPayload: JSON.stringify(entry.webhook) };
    try {
      await this.options.exceptions.record({ kind: 'malformed-webhook', reason, attempts: failures.count, ...report });
    } catch {
      return false;
    }
    this.options.log?.({ level: 'error', message: `webhook queue entry ${entry.entryId} kept as an exception: ${reason}` });
    return true;
  }

  private async store(entry: TakenWebhook): Promise<void> {
    if (entry.webhook === null) {
      // Nothing to retry: an entry that cannot be read now never will be.
      await this.options.exceptions.record({ kind: 'malformed-webhook', subject: `webhook-queue:${entry.entryId}`, channel: null, reason: `the webhook queue entry could not be read: ${entry.unreadable.problem}`, rawPayload: entry.unreadable.raw, attempts: 1 });
      return;
    }
    const { webhook } = entry;
    if (webhook.kind === 'refused') {
      await this.options.exceptions.record({ kind: 'malformed-webhook', subject: webhook.id, channel: webhook.channel, reason: webhook.reason, rawPayload: webhook.rawBody, attempts: 1 });
      return;
    }
    const { id, source, topic, rawBody, receivedAt } = webhook;
    // 'exists': a redelivery after the door forgot its id, or this entry handed over before a crash.
    await this.options.store.enqueueWebhook({ id, source, topic, rawBody, receivedAt, state: 'PENDING', attempts: 0, nextAttemptAt: receivedAt, lastError: null, outcome: null, replays: 0 });
  }
}
