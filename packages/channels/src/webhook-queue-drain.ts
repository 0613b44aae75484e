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
  /** This replica's name in the consumer group (default: a random one per process). */
  consumer?: string;
  log?: ChannelLog;
}

/**
 * Moves acknowledged webhooks from the queue into the inbox (MongoDB), where the inbox worker
 * processes, retries and replays them: accepted ones as inbox rows (a redelivery's row exists
 * already and is not doubled), refused ones as `malformed-webhook` exceptions with their raw
 * body. An entry is settled only after its row or exception is stored, so a crash in between
 * hands it over again (at least once; the row's unique id makes that harmless).
 */
export class WebhookQueueDrain {
  private readonly loop: RoundLoop;
  private readonly consumer: string;

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

  /** One hand-over: the entries taken, stored, and settled; answers how many. */
  async runOnce(blockMs = this.options.blockMs ?? 500): Promise<number> {
    const taken = await this.options.queue.take(this.consumer, { count: this.batchSize, blockMs, claimIdleMs: this.options.claimIdleMs ?? 30_000 });
    if (taken.length === 0) return 0;
    await Promise.all(taken.map((entry) => this.store(entry)));
    await this.options.queue.settle(taken.map((entry) => entry.entryId));
    if (taken.some((entry) => entry.webhook.kind === 'accepted')) this.options.onStored();
    return taken.length;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async store({ webhook }: TakenWebhook): Promise<void> {
    if (webhook.kind === 'refused') {
      await this.options.exceptions.record({ kind: 'malformed-webhook', subject: webhook.id, channel: webhook.channel, reason: webhook.reason, rawPayload: webhook.rawBody, attempts: 1 });
      return;
    }
    const { id, source, topic, rawBody, receivedAt } = webhook;
    // 'exists': a redelivery after the door forgot its id, or this entry handed over before a crash.
    await this.options.store.enqueueWebhook({ id, source, topic, rawBody, receivedAt, state: 'PENDING', attempts: 0, nextAttemptAt: receivedAt, lastError: null, outcome: null, replays: 0 });
  }
}
