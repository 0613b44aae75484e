import type { ExceptionStore } from '@crossdock/exceptions';
import type { AckBoard } from './ack-board';
import { BatchedWriter } from './batched-writer';
import type { ChannelRules } from './channel-rules';
import { LeakyBucket } from './leaky-bucket';
import type { AckRecord, ChannelConnector, FigureRecord, PushItem, PushOutcome, PushStore } from './ports';

/** What a feed tells the metrics and the log. */
export interface FeedObserver {
  /** A figure reached the channel, `lagMs` after the ATP change it reflects. */
  acknowledged?(channel: string, lagMs: number): void;
  /** A request went out with this many items. */
  pushed?(channel: string, items: number): void;
  /** A figure replaced one that was still waiting: one push saved. */
  coalesced?(channel: string): void;
  /** A push failed (throttled, unavailable, rejected). */
  failed?(channel: string, reason: PushOutcome['status']): void;
  error?(message: string, error: unknown): void;
}

/** Options of a ChannelFeed. */
export interface ChannelFeedOptions {
  rules: ChannelRules;
  connector: ChannelConnector;
  store: PushStore;
  /** Where a channel that keeps failing, or refuses an item, is recorded for operators (null: log only). */
  exceptions: ExceptionStore | null;
  observer?: FeedObserver;
  /** Where every replica reads what the channel acknowledged (null: nowhere but the store). */
  board?: AckBoard | null;
  /**
   * Asked right before each request: false while this replica may not push (its lease may have
   * run out); the items wait and it is asked again shortly (default: always true).
   */
  mayPush?: () => boolean;
  /** Backoff after a failed request: doubles from base to max (defaults 250 ms, 5 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Consecutive failed requests before the outage is recorded as an exception (default 3). */
  failuresBeforeException?: number;
  clock?: () => number;
}

/** A feed's visible state: what is waiting, what failed, when the channel last acknowledged. */
export interface FeedStatus {
  channel: string;
  skus: number;
  /** Items (SKU × location) whose current figure the channel has not acknowledged. */
  waiting: number;
  inFlight: number;
  consecutiveFailures: number;
  lastFailure: string | null;
  lastAcknowledgedAt: string | null;
}

/** How often acknowledgements are written to the store (they are for restarts, not for pushing). */
const ACK_SAVE_MS = 200;
/** How soon a push held back by the fence is tried again. */
const FENCE_RECHECK_MS = 100;

const itemKey = (sku: string, location: string) => `${sku}\u0000${location}`;

/**
 * Pushes one channel's figures: the latest figure of every SKU and location, one at a time per
 * item, within the channel's rate limit, until the channel acknowledged exactly the current
 * figure. A figure that arrives while an older one waits replaces it (the older one is never
 * sent); one that arrives while an older one is in flight is sent right after it. So a channel
 * that was down gets the latest value of every item once back, never an older one after it.
 */
export class ChannelFeed {
  readonly channel: string;
  private readonly figures = new Map<string, FigureRecord>();
  private readonly acks = new Map<string, AckRecord>();
  /** Items to send, oldest first (a Map keeps insertion order). */
  private readonly due = new Map<string, { sku: string; location: string }>();
  private readonly inFlight = new Set<string>();
  /** Items the channel refused, by the seq it refused: retried only with a newer figure. */
  private readonly refused = new Map<string, number>();
  private readonly bucket: LeakyBucket;
  private readonly clock: () => number;
  private requests = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private lastFailure: string | null = null;
  private lastAcknowledgedAt: number | null = null;
  private outageRecorded = false;
  private readonly sending = new Set<Promise<void>>();
  /**
   * Acknowledgements are written off the push path, by SKU: to the store every ACK_SAVE_MS (lost
   * on a crash or a store outage, an acknowledgement only makes the item go once more after the
   * restart), and to the board as soon as they come, for the graph on every replica.
   */
  private readonly ackWriters: BatchedWriter[];
  private readonly boardWriter: BatchedWriter | null;

  constructor(private readonly options: ChannelFeedOptions) {
    this.channel = options.rules.channel;
    this.clock = options.clock ?? Date.now;
    this.bucket = new LeakyBucket(options.rules.rateLimit.requestsPerSecond, options.rules.rateLimit.burst, this.clock);
    const board = options.board;
    this.boardWriter = board ? this.ackWriter(0, 'publishing', (records) => board.publish(records)) : null;
    this.ackWriters = [this.ackWriter(ACK_SAVE_MS, 'saving', (records) => options.store.saveAcks(records)), ...(this.boardWriter ? [this.boardWriter] : [])];
  }

  /** Loads the channel's figures and acknowledgements (after a restart: what is still owed) and starts sending. */
  async start(): Promise<void> {
    const { figures, acks } = await this.options.store.loadChannel(this.channel);
    for (const ack of acks) this.acks.set(ack.sku, ack);
    // The board may have lost what an earlier leader wrote (a Redis restart, an in-process board).
    this.boardWriter?.mark(this.acks.keys());
    for (const figure of figures) {
      this.figures.set(figure.sku, figure);
      for (const location of Object.keys(figure.locations)) this.reconsider(figure.sku, location);
    }
    this.schedule(0);
  }

  /** The current figure of a SKU (null: never computed). */
  figure(sku: string): FigureRecord | null {
    return this.figures.get(sku) ?? null;
  }

  /** What the channel last acknowledged for a SKU. */
  acknowledged(sku: string): AckRecord | null {
    return this.acks.get(sku) ?? null;
  }

  /** Since when the SKU has a figure the channel has not acknowledged (null: all acknowledged). */
  pendingSince(sku: string): Date | null {
    const figure = this.figures.get(sku);
    if (!figure) return null;
    return Object.keys(figure.locations).some((location) => this.owes(figure, location)) ? figure.changedAt : null;
  }

  /** Every SKU the feed knows, sorted (the resync's catalogue when no other is given). */
  knownSkus(): string[] {
    return [...this.figures.keys()].sort();
  }

  /**
   * New figures (already saved). One not newer than the figure held is dropped: it was computed
   * from an older ATP than what the channel already gets.
   */
  offer(records: readonly FigureRecord[]): void {
    for (const record of records) {
      const current = this.figures.get(record.sku);
      if (current && current.seq >= record.seq) continue;
      this.figures.set(record.sku, record);
      for (const location of Object.keys(record.locations)) {
        const key = itemKey(record.sku, location);
        const waiting = this.due.has(key);
        this.reconsider(record.sku, location);
        if (waiting && this.due.has(key)) this.options.observer?.coalesced?.(this.channel);
      }
    }
    this.schedule(0);
  }

  /** Marks every item of these SKUs to be sent again whatever the channel acknowledged (a full resync). */
  resend(skus: readonly string[]): void {
    for (const sku of skus) {
      const figure = this.figures.get(sku);
      if (!figure) continue;
      for (const location of Object.keys(figure.locations)) {
        const key = itemKey(sku, location);
        this.refused.delete(key);
        if (!this.inFlight.has(key)) this.due.set(key, { sku, location });
      }
    }
    this.schedule(0);
  }

  /** True while any item of these SKUs waits or is in flight. */
  owesAny(skus: readonly string[]): boolean {
    return skus.some((sku) => {
      const figure = this.figures.get(sku);
      if (!figure) return false;
      return Object.keys(figure.locations).some((location) => this.due.has(itemKey(sku, location)) || this.inFlight.has(itemKey(sku, location)));
    });
  }

  /** Items still owed to the channel (waiting or in flight). */
  backlog(): number {
    return this.due.size + this.inFlight.size;
  }

  status(): FeedStatus {
    return {
      channel: this.channel,
      skus: this.figures.size,
      waiting: this.due.size,
      inFlight: this.inFlight.size,
      consecutiveFailures: this.failures,
      lastFailure: this.lastFailure,
      lastAcknowledgedAt: this.lastAcknowledgedAt === null ? null : new Date(this.lastAcknowledgedAt).toISOString(),
    };
  }

  /** Stops sending and waits for requests under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([...this.sending]);
    await Promise.all(this.ackWriters.map((writer) => writer.flush()));
  }

  /** True when the channel has not acknowledged this figure's quantity at this location. */
  private owes(figure: FigureRecord, location: string): boolean {
    const acked = this.acks.get(figure.sku)?.locations[location];
    return acked === undefined || acked.quantity !== figure.locations[location];
  }

  private reconsider(sku: string, location: string): void {
    const key = itemKey(sku, location);
    const figure = this.figures.get(sku);
    if (!figure || this.inFlight.has(key)) return;
    const refusedSeq = this.refused.get(key);
    if (this.owes(figure, location) && (refusedSeq === undefined || refusedSeq < figure.seq)) {
      // Re-inserted at the end: the oldest waiting item goes first.
      this.due.delete(key);
      this.due.set(key, { sku, location });
    } else {
      this.due.delete(key);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, delayMs);
  }

  private drain(): void {
    while (!this.stopped && this.due.size > 0 && this.requests < this.options.rules.rateLimit.concurrency) {
      // The fence: checked right before each request, since the request goes out in this same turn.
      if (this.options.mayPush && !this.options.mayPush()) return this.schedule(FENCE_RECHECK_MS);
      const wait = this.bucket.take();
      if (wait > 0) return this.schedule(wait);
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const sending = this.send(batch).finally(() => this.sending.delete(sending));
      this.sending.add(sending);
    }
  }

  private takeBatch(): (PushItem & { changedAt: Date })[] {
    const batch: (PushItem & { changedAt: Date })[] = [];
    for (const [key, { sku, location }] of this.due) {
      if (batch.length >= this.options.connector.maxBatch) break;
      const figure = this.figures.get(sku);
      this.due.delete(key);
      if (!figure) continue;
      this.inFlight.add(key);
      batch.push({ sku, location, quantity: figure.locations[location] ?? 0, seq: figure.seq, changedAt: figure.changedAt });
    }
    return batch;
  }

  private async send(batch: readonly (PushItem & { changedAt: Date })[]): Promise<void> {
    this.requests += 1;
    this.options.observer?.pushed?.(this.channel, batch.length);
    let outcomes: PushOutcome[];
    try {
      outcomes = await this.options.connector.push(batch.map(({ sku, location, quantity, seq }) => ({ sku, location, quantity, seq })));
    } catch (error) {
      outcomes = batch.map(() => ({ status: 'unavailable', reason: error instanceof Error ? error.message : String(error) }));
    }
    try {
      await this.settle(batch, outcomes);
    } finally {
      this.requests -= 1;
      for (const item of batch) {
        this.inFlight.delete(itemKey(item.sku, item.location));
        this.reconsider(item.sku, item.location);
      }
      this.schedule(0);
    }
  }

  private async settle(batch: readonly (PushItem & { changedAt: Date })[], outcomes: readonly PushOutcome[]): Promise<void> {
    const now = this.clock();
    const touched = new Set<string>();
    let failure: PushOutcome | null = null;
    batch.forEach((item, i) => {
      const outcome = outcomes[i] ?? { status: 'unavailable', reason: 'the connector answered fewer items than it was sent' };
      if (outcome.status === 'acknowledged') {
        const ack = this.acks.get(item.sku) ?? { channel: this.channel, sku: item.sku, locations: {} };
        const previous = ack.locations[item.location];
        // An acknowledgement of an older seq than one already acknowledged changes nothing.
        if (!previous || previous.seq <= item.seq) ack.locations[item.location] = { quantity: item.quantity, seq: item.seq, at: new Date(now) };
        this.acks.set(item.sku, ack);
        touched.add(item.sku);
        this.options.observer?.acknowledged?.(this.channel, Math.max(0, now - item.changedAt.getTime()));
      } else {
        failure = outcome;
        if (outcome.status === 'rejected') this.refused.set(itemKey(item.sku, item.location), item.seq);
      }
    });
    if (touched.size > 0) {
      this.failures = 0;
      this.outageRecorded = false;
      this.lastAcknowledgedAt = now;
      for (const writer of this.ackWriters) writer.mark(touched);
    }
    if (failure) await this.onFailure(failure, batch);
  }

  /** Writes the current acknowledgements of the SKUs it is given, by one writer. */
  private ackWriter(delayMs: number, what: string, write: (records: AckRecord[]) => Promise<void>): BatchedWriter {
    return new BatchedWriter({
      delayMs,
      retryMs: ACK_SAVE_MS,
      write: (skus) =>
        write(
          skus.flatMap((sku) => {
            const ack = this.acks.get(sku);
            return ack ? [{ ...ack, locations: { ...ack.locations } }] : [];
          }),
        ),
      onError: (error, skus) => this.options.observer?.error?.(`availability: ${what} ${skus} ${this.channel} acknowledgements failed; trying again`, error),
    });
  }

  private async onFailure(outcome: Exclude<PushOutcome, { status: 'acknowledged' }>, batch: readonly PushItem[]): Promise<void> {
    this.options.observer?.failed?.(this.channel, outcome.status);
    if (outcome.status === 'throttled') {
      this.bucket.pause(outcome.retryAfterMs);
      return;
    }
    if (outcome.status === 'rejected') {
      await this.record(`${this.channel}:${batch[0]?.sku ?? '?'}`, `the channel refused the figure: ${outcome.reason}`, outcome.payload);
      return;
    }
    this.failures += 1;
    this.lastFailure = outcome.reason;
    const base = this.options.retryBaseMs ?? 250;
    this.bucket.pause(Math.min(this.options.retryMaxMs ?? 5000, base * 2 ** Math.min(this.failures - 1, 10)));
    if (this.failures >= (this.options.failuresBeforeException ?? 3) && !this.outageRecorded) {
      this.outageRecorded = true;
      await this.record(`${this.channel}:outage`, `${this.failures} pushes in a row failed: ${outcome.reason}`, JSON.stringify(batch));
    }
  }

  private async record(subject: string, reason: string, rawPayload: string): Promise<void> {
    const report = { kind: 'availability-push' as const, channel: this.channel, subject, reason, rawPayload };
    if (!this.options.exceptions) return this.options.observer?.error?.(`availability: ${subject}: ${reason}`, null);
    await this.options.exceptions.record(report).catch((error: unknown) => this.options.observer?.error?.(`availability: recording ${subject} failed`, error));
  }
}
