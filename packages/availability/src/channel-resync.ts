import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AvailabilityEngine } from './availability-engine';
import type { ChannelFeed } from './channel-feed';
import type { PushStore, ResyncCheckpoint } from './ports';

/** Options of a ChannelResync. */
export interface ChannelResyncOptions {
  feed: ChannelFeed;
  engine: AvailabilityEngine;
  store: PushStore;
  /** SKUs the channel may list besides those the feed has a figure for. */
  catalog?: () => Promise<string[]>;
  chunkSize: number;
  /** How often to look whether a chunk is through (default 100 ms). */
  pollMs?: number;
  clock?: () => number;
}

/**
 * A full resync of one channel: every SKU recomputed and sent again, whatever the channel
 * acknowledged before, chunk by chunk. A chunk counts as done once the channel acknowledged all
 * of it (the feed's rate limit paces it), and the checkpoint in MongoDB moves past it, so a run
 * cut short by a crash resumes at its first unfinished chunk.
 */
export class ChannelResync {
  private running: Promise<ResyncCheckpoint> | null = null;
  /** The run's latest checkpoint. */
  private current: ResyncCheckpoint | null = null;
  private stopped = false;
  private readonly clock: () => number;

  constructor(private readonly options: ChannelResyncOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Starts a new run (or joins the one under way): `started` resolves with its first checkpoint
   * (saved), `finished` with its last.
   */
  start(requestedBy: string): { started: Promise<ResyncCheckpoint>; finished: Promise<ResyncCheckpoint> } {
    if (this.running && this.current) return { started: Promise.resolve(this.current), finished: this.running };
    let announce: (checkpoint: ResyncCheckpoint) => void = () => undefined;
    const started = new Promise<ResyncCheckpoint>((resolve) => (announce = resolve));
    const finished = this.begin(requestedBy, announce).finally(() => (this.running = null));
    this.running = finished;
    // A run that fails before its first checkpoint fails both.
    return { started: Promise.race([started, finished]), finished };
  }

  /** Continues a run a crash left unfinished; null when there is none. */
  async resume(): Promise<ResyncCheckpoint | null> {
    const checkpoint = await this.options.store.checkpoint(this.options.feed.channel);
    if (!checkpoint || checkpoint.finishedAt) return null;
    if (!this.running) {
      // A start() meanwhile joins this run rather than beginning another.
      this.current = checkpoint;
      this.running = this.continueRun(checkpoint).finally(() => (this.running = null));
    }
    return this.running;
  }

  /** True while a run is under way in this process. */
  get active(): boolean {
    return this.running !== null;
  }

  /** Stops after the chunk in hand; the checkpoint keeps what was done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async begin(requestedBy: string, announce: (checkpoint: ResyncCheckpoint) => void): Promise<ResyncCheckpoint> {
    const skus = [...new Set([...((await this.options.catalog?.()) ?? []), ...this.options.feed.knownSkus()])].sort();
    const checkpoint: ResyncCheckpoint = { channel: this.options.feed.channel, runId: randomUUID(), skus, next: 0, startedAt: new Date(this.clock()), finishedAt: null, requestedBy };
    await this.options.store.saveCheckpoint(checkpoint);
    this.current = checkpoint;
    announce(checkpoint);
    return this.continueRun(checkpoint);
  }

  private async continueRun(start: ResyncCheckpoint): Promise<ResyncCheckpoint> {
    let checkpoint = start;
    while (checkpoint.next < checkpoint.skus.length) {
      if (this.stopped) return checkpoint;
      const chunk = checkpoint.skus.slice(checkpoint.next, checkpoint.next + this.options.chunkSize);
      await this.options.engine.recompute(chunk);
      this.options.feed.resend(chunk);
      await this.acknowledged(chunk);
      if (this.stopped) return checkpoint;
      checkpoint = { ...checkpoint, next: checkpoint.next + chunk.length };
      await this.options.store.saveCheckpoint(checkpoint);
      this.current = checkpoint;
    }
    checkpoint = { ...checkpoint, finishedAt: new Date(this.clock()) };
    await this.options.store.saveCheckpoint(checkpoint);
    this.current = checkpoint;
    return checkpoint;
  }

  private async acknowledged(skus: readonly string[]): Promise<void> {
    while (!this.stopped && this.options.feed.owesAny(skus)) await sleep(this.options.pollMs ?? 100);
  }
}
