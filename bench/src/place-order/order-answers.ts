/**
 * How a placeOrder answer is read and counted. Only an order with no UserError and no GraphQL
 * error counts as accepted; everything else is counted under its code.
 */

/** The selection every benchmark order asks for: commerce-owned fields only, so no other subgraph is queried. */
export const PLACE_ORDER = /* GraphQL */ `
  mutation BenchPlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) { order { id status } errors { code message } }
  }
`;

/** The code counted for an accepted order. */
export const ACCEPTED = 'ACCEPTED';
/** The code counted for a request whose outcome could not be learned, even by asking again. */
export const UNRESOLVED = 'UNRESOLVED';

/**
 * What one answer says. `final` answers cannot change on a repeat (accepted, or refused with a
 * UserError, which reserved nothing); the rest (GraphQL errors, HTTP errors, timeouts) leave
 * open whether the order exists, so the same request is asked again later.
 */
export interface Verdict {
  code: string;
  final: boolean;
  /** A message worth showing for this code (first seen wins). */
  message?: string;
}

/** Reads one answer: HTTP status and body text. */
export function readAnswer(status: number, body: string): Verdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: status >= 200 && status < 300 ? 'UNREADABLE_BODY' : `HTTP_${status}`, final: false, message: body.slice(0, 160) };
  }
  const graphqlError = firstGraphQLError(parsed);
  if (graphqlError) return { code: status >= 200 && status < 300 ? graphqlError.code : `HTTP_${status} ${graphqlError.code}`, final: false, message: graphqlError.message };
  if (status < 200 || status >= 300) return { code: `HTTP_${status}`, final: false };
  const payload = field(field(parsed, 'data'), 'placeOrder');
  const userErrors = field(payload, 'errors');
  if (Array.isArray(userErrors) && userErrors.length > 0) {
    const first: unknown = userErrors[0];
    const code = field(first, 'code');
    const message = field(first, 'message');
    return { code: typeof code === 'string' ? code : 'USER_ERROR', final: true, ...(typeof message === 'string' ? { message } : {}) };
  }
  const order = field(payload, 'order');
  if (typeof field(order, 'id') === 'string') return { code: ACCEPTED, final: true };
  return { code: 'NO_ORDER_NO_ERROR', final: false, message: body.slice(0, 160) };
}

function firstGraphQLError(answer: unknown): { code: string; message: string } | null {
  const errors = field(answer, 'errors');
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const first: unknown = errors[0];
  const code = field(field(first, 'extensions'), 'code');
  const message = field(first, 'message');
  return { code: typeof code === 'string' ? code : 'GRAPHQL_ERROR', message: typeof message === 'string' ? message.slice(0, 160) : '' };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;
}

/** Answers counted by code, with one example message per code. */
export class AnswerTally {
  readonly counts = new Map<string, number>();
  readonly examples = new Map<string, string>();

  add(verdict: Verdict): void {
    this.counts.set(verdict.code, (this.counts.get(verdict.code) ?? 0) + 1);
    if (verdict.message && !this.examples.has(verdict.code)) this.examples.set(verdict.code, verdict.message);
  }

  /** Adds another tally's counts and examples to this one. */
  merge(other: AnswerTally): void {
    for (const [code, count] of other.counts) this.counts.set(code, (this.counts.get(code) ?? 0) + count);
    for (const [code, message] of other.examples) if (!this.examples.has(code)) this.examples.set(code, message);
  }

  get accepted(): number {
    return this.counts.get(ACCEPTED) ?? 0;
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  /** "ACCEPTED 1234, INSUFFICIENT_STOCK 2 (only 0 of …)", biggest first; "none" when empty. */
  describe(): string {
    if (this.counts.size === 0) return 'none';
    return [...this.counts]
      .sort(([, a], [, b]) => b - a)
      .map(([code, count]) => {
        const example = this.examples.get(code);
        return `${code} ${count}${example ? ` ("${example.replace(/\s+/g, ' ').slice(0, 100)}")` : ''}`;
      })
      .join(', ');
  }
}
