import { signIdentity, type Identity } from '@crossdock/auth';
import { LruCache } from './authorization/lru-cache';

export interface IdentitySignaturesOptions {
  /** HUB_SUBGRAPH_SECRET. */
  secret: string;
  /**
   * How long one signed header is reused. Subgraphs accept a header for 5 minutes after it was
   * signed; one minute leaves four for clock skew and slow fetches.
   */
  reuseMs?: number;
  /** Distinct identities remembered at once. */
  capacity?: number;
  now?: () => number;
}

/**
 * The signed identity header for each caller, signed once and reused for a minute: a request
 * fans out into many subgraph fetches and many requests come from the same callers, and an
 * HMAC plus base64 per fetch showed in profiles. The same identity also gets the same header
 * bytes, so identical subgraph fetches of one identity can be recognised as such.
 */
export class IdentitySignatures {
  private readonly byObject = new WeakMap<Identity, { header: string; signedAt: number }>();
  private readonly byView: LruCache<string, { header: string; signedAt: number }>;
  private readonly reuseMs: number;
  private readonly now: () => number;

  constructor(private readonly options: IdentitySignaturesOptions) {
    this.reuseMs = options.reuseMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.byView = new LruCache(options.capacity ?? 10_000);
  }

  /** The header value for `identity`: a fresh signature at most `reuseMs` old. */
  header(identity: Identity): string {
    const now = this.now();
    const known = this.byObject.get(identity);
    if (known && now - known.signedAt < this.reuseMs) return known.header;
    const view = JSON.stringify([identity.subject, identity.scopes, identity.customerId, identity.channel]);
    let signed = this.byView.get(view);
    if (!signed || now - signed.signedAt >= this.reuseMs) {
      signed = { header: signIdentity(identity, this.options.secret, now), signedAt: now };
      this.byView.set(view, signed);
    }
    this.byObject.set(identity, signed);
    return signed.header;
  }
}
