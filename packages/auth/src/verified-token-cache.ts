import type { Identity } from './identity';

/** How long and how many verified tokens are remembered (createTokenVerifier's `cache`). */
export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at once; the least recently used goes first (default 10,000). */
  maxEntries?: number;
  /**
   * Longest a token is trusted without verifying its signature again, whatever its expiry
   * (default 60 s): bounds how long a key removed from the JWKS still lets its tokens in.
   */
  maxAgeSeconds?: number;
  /** The clock, in ms (tests). */
  now?: () => number;
}

interface Remembered {
  identity: Identity;
  /** The earlier of the token's expiry (plus the accepted clock skew) and its verification plus maxAge. */
  validUntilMs: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_AGE_SECONDS = 60;

/**
 * Verified bearer tokens by their exact text, so that a client sending the same token again
 * costs a map lookup rather than a signature check (an HMAC or RSA/ECDSA verification per
 * request was the largest part of governance's cost in the benchmark). Only tokens that passed
 * every check are remembered, keyed by the whole token, signature included: a token differing in
 * one byte is a miss and is verified. An entry ends when the token expires, as verification
 * would have decided then, or after maxAge at the latest.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Remembered>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    /** The accepted clock skew the verifier applies to `exp`, in seconds. */
    private readonly clockToleranceSeconds: number,
    options: VerifiedTokenCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The identity of a token verified before and still valid, or undefined. */
  get(token: string): Identity | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.validUntilMs <= this.now()) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.identity;
  }

  /** Remembers a token that was just verified; `expSeconds` is its `exp` claim. */
  remember(token: string, identity: Identity, expSeconds: number): void {
    const validUntilMs = Math.min((expSeconds + this.clockToleranceSeconds) * 1_000, this.now() + this.maxAgeMs);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { identity: Object.freeze({ ...identity, scopes: Object.freeze([...identity.scopes]) }), validUntilMs });
  }
}
