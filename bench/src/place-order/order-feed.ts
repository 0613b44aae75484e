import type { RequestFeed } from '../load';
import { AnswerTally, PLACE_ORDER, readAnswer, UNRESOLVED, type Verdict } from './order-answers';

/** What a row orders: one line of quantity 1 per order, SKUs and customers taken in turn. */
export interface OrderPlan {
  skus: readonly string[];
  customers: readonly string[];
  channel: string;
}

/**
 * The placeOrder bodies of one load run, each with an idempotency key of its own, and the count
 * of their answers. Requests without a final answer (cut off when the run ended, timed out, or
 * answered with a GraphQL error) are kept with their body: the contract's idempotency lets
 * {@link resolveUndecided} learn afterwards what became of them, so every order is accounted for.
 */
export class OrderFeed implements RequestFeed {
  readonly answers = new AnswerTally();
  private readonly undecided = new Map<string, string>();
  private sequence = 0;

  /** `keyPrefix` makes the keys unique across rows, phases and runs. */
  constructor(
    private readonly plan: OrderPlan,
    private readonly keyPrefix: string,
  ) {
    if (plan.skus.length === 0 || plan.customers.length === 0) throw new Error('an order plan needs at least one SKU and one customer');
  }

  next(): { id: string; body: string } {
    const n = this.sequence++;
    const id = `${this.keyPrefix}-${n}`;
    const input = {
      idempotencyKey: id,
      channel: this.plan.channel,
      customerId: this.plan.customers[n % this.plan.customers.length],
      lines: [{ sku: this.plan.skus[n % this.plan.skus.length], quantity: 1 }],
    };
    const body = JSON.stringify({ query: PLACE_ORDER, variables: { input } });
    this.undecided.set(id, body);
    return { id, body };
  }

  onAnswer(id: string, status: number, body: string): void {
    const verdict = readAnswer(status, body);
    this.answers.add(verdict);
    if (verdict.final) this.undecided.delete(id);
  }

  /** Requests sent so far. */
  get sent(): number {
    return this.sequence;
  }

  /** Bodies of the requests with no final answer yet, by idempotency key. */
  undecidedRequests(): ReadonlyMap<string, string> {
    return new Map(this.undecided);
  }
}

/** How {@link resolveUndecided} reaches the gateway. */
export interface ResolveTarget {
  url: string;
  headers: Record<string, string>;
  /** Requests in flight at once; the load's own connection count. */
  concurrency: number;
}

/**
 * Asking again goes on while keys stay undecided, for at most this long: an overloaded hub can
 * take minutes to finish what it started, and each repeat waits up to 10 s for a first request
 * still running. Between rounds a pause, so the repeats do not add to the load they wait on.
 */
const RESOLVE_BUDGET_MS = 180_000;
const PAUSE_BETWEEN_ROUNDS_MS = 2_000;
/** Longer than the gateway's 10 s subgraph timeout, so its own answer arrives first. */
const RESOLVE_TIMEOUT_MS = 30_000;

/**
 * Sends each undecided request again, same key, same body, and counts the final answers. Per the
 * contract a repeat returns the order the first request created, or places it if none was, so
 * afterwards every key stands for exactly one known outcome. Keys still undecided when the
 * {@link RESOLVE_BUDGET_MS} budget runs out are counted as UNRESOLVED.
 */
export async function resolveUndecided(target: ResolveTarget, requests: ReadonlyMap<string, string>): Promise<AnswerTally> {
  const tally = new AnswerTally();
  const deadline = Date.now() + RESOLVE_BUDGET_MS;
  let pending = [...requests.values()];
  let last = new Map<string, Verdict>();
  for (let round = 0; pending.length > 0 && (round === 0 || Date.now() < deadline); round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_ROUNDS_MS));
    last = new Map();
    for (let start = 0; start < pending.length; start += target.concurrency) {
      const chunk = pending.slice(start, start + target.concurrency);
      const verdicts = await Promise.all(chunk.map((body) => sendOrder(target, body)));
      chunk.forEach((body, i) => {
        const verdict = verdicts[i] ?? { code: 'NO_ANSWER', final: false };
        if (verdict.final) tally.add(verdict);
        else last.set(body, verdict);
      });
    }
    pending = [...last.keys()];
  }
  for (const verdict of last.values()) tally.add({ code: UNRESOLVED, final: false, message: `last answer ${verdict.code}${verdict.message ? `: ${verdict.message}` : ''}` });
  return tally;
}

/** Posts one placeOrder body to the gateway and reads the answer; a network failure is an undecided NO_ANSWER. */
export async function sendOrder(target: Pick<ResolveTarget, 'url' | 'headers'>, body: string): Promise<Verdict> {
  try {
    const response = await fetch(target.url, { method: 'POST', headers: target.headers, body, signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) });
    return readAnswer(response.status, await response.text());
  } catch (error) {
    return { code: 'NO_ANSWER', final: false, message: error instanceof Error ? error.message : String(error) };
  }
}
