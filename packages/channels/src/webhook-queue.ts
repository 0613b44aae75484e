import { z } from 'zod';

/**
 * What the door puts in the webhook queue: a verified delivery to process (`id` is
 * `<source>:<delivery id>`), or one refused at the door, kept so that its raw body reaches the
 * exception store (the door has no MongoDB).
 */
export const queuedWebhookSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accepted'), id: z.string(), source: z.string(), topic: z.string(), rawBody: z.string(), receivedAt: z.string() }),
  z.object({ kind: z.literal('refused'), id: z.string(), channel: z.string(), reason: z.string(), rawBody: z.string(), receivedAt: z.string() }),
]);
export type QueuedWebhook = z.infer<typeof queuedWebhookSchema>;

/**
 * A queued webhook with its queue position, for settle(); or an entry that could not be read (not
 * JSON, not a queued webhook: written by something else, or corrupted), with its text and why,
 * so that the drain keeps it as an exception instead of failing on it for ever.
 */
export type TakenWebhook = { entryId: string; webhook: QueuedWebhook } | { entryId: string; webhook: null; unreadable: { raw: string; problem: string } };

/** How a consumer takes entries. */
export interface TakeOptions {
  /** At most this many entries. */
  count: number;
  /** Wait this long for a first entry; [] when none came. */
  blockMs: number;
  /** Entries another consumer took and did not settle for this long are taken over (it died). */
  claimIdleMs: number;
}

/**
 * The durable hand-over between acknowledging a webhook and processing it: a Redis Stream read by
 * a consumer group in production, an in-process substitute in all-in-one (one contract suite runs
 * against both). An accepted delivery is appended together with its id's duplicate marker, in one
 * atomic step, so the answer "accepted" or "duplicate" is decided once per id; an entry stays in
 * the queue until a consumer settles it, and one taken by a consumer that died is taken over.
 */
export interface WebhookQueue {
  /** Appends an accepted delivery unless its id was appended before (within the marker's lifetime). */
  appendOnce(webhook: Extract<QueuedWebhook, { kind: 'accepted' }>): Promise<'appended' | 'exists'>;
  /** Appends a refused delivery (never deduplicated: each refusal is recorded). */
  appendRefused(webhook: Extract<QueuedWebhook, { kind: 'refused' }>): Promise<void>;
  /**
   * Entries for `consumer`: its own unsettled ones first (after a failed hand-over), then those
   * other consumers left unsettled for `claimIdleMs`, then new ones.
   */
  take(consumer: string, options: TakeOptions): Promise<TakenWebhook[]>;
  /** Removes handled entries for good. */
  settle(entryIds: readonly string[]): Promise<void>;
  /** Entries appended and not yet settled. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/**
 * How long a delivery id is remembered at the door (48 h: Shopify retries a failed delivery for
 * up to 48 hours). A redelivery after that is still recognised by the inbox's unique row and by
 * placeOrder's idempotency key, only not answered 200 at the door.
 */
export const DELIVERY_MARKER_TTL_SECONDS = 48 * 3600;

interface MemoryEntry {
  entryId: string;
  webhook: QueuedWebhook;
  /** Consumer holding it, and since when (ms); null: not taken yet. */
  holder: { consumer: string; since: number } | null;
}

/** The in-process webhook queue of all-in-one mode (nothing survives a restart). */
export class MemoryWebhookQueue implements WebhookQueue {
  private readonly entries: MemoryEntry[] = [];
  private readonly markers = new Map<string, number>();
  private sequence = 0;
  private waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly markerTtlMs = DELIVERY_MARKER_TTL_SECONDS * 1_000) {}

  async appendOnce(webhook: Extract<QueuedWebhook, { kind: 'accepted' }>): Promise<'appended' | 'exists'> {
    const now = Date.now();
    if ((this.markers.get(webhook.id) ?? 0) > now) return 'exists';
    if (this.markers.size >= 10_000) for (const [id, expires] of this.markers) if (expires <= now) this.markers.delete(id);
    this.markers.set(webhook.id, now + this.markerTtlMs);
    this.push(webhook);
    return 'appended';
  }

  async appendRefused(webhook: Extract<QueuedWebhook, { kind: 'refused' }>): Promise<void> {
    this.push(webhook);
  }

  async take(consumer: string, options: TakeOptions): Promise<TakenWebhook[]> {
    let taken = this.pick(consumer, options);
    if (taken.length === 0 && !this.closed && options.blockMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.blockMs);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      taken = this.pick(consumer, options);
    }
    return taken;
  }

  async settle(entryIds: readonly string[]): Promise<void> {
    const settled = new Set(entryIds);
    for (let i = this.entries.length - 1; i >= 0; i -= 1) if (settled.has(this.entries[i]?.entryId ?? '')) this.entries.splice(i, 1);
  }

  async depth(): Promise<number> {
    return this.entries.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
  }

  private push(webhook: QueuedWebhook): void {
    this.sequence += 1;
    this.entries.push({ entryId: `${Date.now()}-${this.sequence}`, webhook: structuredClone(webhook), holder: null });
    this.wakeAll();
  }

  private pick(consumer: string, options: TakeOptions): TakenWebhook[] {
    const now = Date.now();
    const own = this.entries.filter((e) => e.holder?.consumer === consumer);
    const stale = this.entries.filter((e) => e.holder && e.holder.consumer !== consumer && now - e.holder.since >= options.claimIdleMs);
    const fresh = this.entries.filter((e) => e.holder === null);
    const picked = [own, stale, fresh].find((group) => group.length > 0)?.slice(0, options.count) ?? [];
    for (const entry of picked) entry.holder = { consumer, since: now };
    return picked.map((entry) => ({ entryId: entry.entryId, webhook: structuredClone(entry.webhook) }));
  }

  private wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}
