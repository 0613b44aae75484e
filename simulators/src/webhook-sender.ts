import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

/** Where a simulator delivers its notices, the way the real system would be configured. */
export interface WebhookTarget {
  url: string;
  /** HMAC-SHA256 key; without it notices go out unsigned. */
  secret?: string;
  /** Header carrying the hex signature, e.g. "X-WMS-Signature". */
  signatureHeader: string;
  /** Deliveries tried per notice (first try included). */
  attempts?: number;
  /** Delay before the first retry; each further retry waits four times longer. */
  retryDelayMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

/** Hex HMAC-SHA256 of the exact body bytes, as receivers must verify it. */
export function signBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Fire-and-forget delivery with retries. A receiver that is down or slow must never break or
 * stall the simulator, so failures end in a warning, and close() abandons what is in flight.
 *
 * Deliveries go through undici's `request` on kept-alive connections, with undici's own header and
 * body timeouts: under load every stock movement is a notice, and `fetch` (web streams, a
 * `Request` and `Response` per call, an `AbortSignal.timeout()` timer living on for the whole
 * timeout after each delivery) cost the WMS simulator as much CPU as serving the movement itself.
 */
export class WebhookSender {
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

  constructor(
    private readonly target: WebhookTarget | null,
    private readonly source: string,
  ) {}

  /** Queues one notice; returns at once. */
  send(payload: unknown): void {
    if (!this.target || this.closing.signal.aborted) return;
    const delivery = this.deliver(this.target, JSON.stringify(payload)).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves when every queued notice was delivered or given up on. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.idle();
    await this.dispatcher.destroy();
  }

  private async deliver(target: WebhookTarget, body: string): Promise<void> {
    const attempts = target.attempts ?? 4;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.secret !== undefined) headers[target.signatureHeader.toLowerCase()] = signBody(body, target.secret);
    let lastProblem = '';
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) {
        const waited = await sleep((target.retryDelayMs ?? 100) * 4 ** (attempt - 1), true, { signal: this.closing.signal }).catch(() => false);
        if (!waited) return;
      }
      try {
        const timeoutMs = target.timeoutMs ?? 2_000;
        const response = await request(target.url, {
          method: 'POST',
          headers,
          body,
          signal: this.closing.signal,
          dispatcher: this.dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return;
        lastProblem = `HTTP ${response.statusCode}`;
      } catch (error) {
        if (this.closing.signal.aborted) return;
        lastProblem = error instanceof Error ? error.message : String(error);
      }
    }
    console.warn(`${this.source}: webhook to ${target.url} failed after ${attempts} attempts (${lastProblem})`);
  }
}
