import { describe, expect, it } from '@jest/globals';
import { createTokenVerifier, signDevToken, type Identity } from '../src';
import { VerifiedTokenCache } from '../src/verified-token-cache';

const SECRET = 'test-secret-0123456789abcdef';
const T0 = 1_790_000_000_000;
const alice: Identity = { subject: 'alice', scopes: ['orders:read'], customerId: 'CUST-0001', channel: null };

/** A clock the test moves by hand. */
function clock(start = T0): { now: () => number; advance(ms: number): void } {
  let current = start;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

describe('VerifiedTokenCache', () => {
  it('answers a remembered token until it expires, counting the accepted clock skew', () => {
    const time = clock();
    const cache = new VerifiedTokenCache(30, { now: time.now, maxAgeSeconds: 3_600 });
    cache.remember('token-a', alice, T0 / 1_000 + 10);
    expect(cache.get('token-a')).toEqual(alice);
    time.advance(39_999);
    expect(cache.get('token-a')).toEqual(alice);
    time.advance(1);
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('verifies again after maxAge, however far away the expiry', () => {
    const time = clock();
    const cache = new VerifiedTokenCache(0, { now: time.now, maxAgeSeconds: 60 });
    cache.remember('token-a', alice, T0 / 1_000 + 86_400);
    time.advance(59_000);
    expect(cache.get('token-a')).toEqual(alice);
    time.advance(1_000);
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(0, { maxEntries: 2, now: clock().now });
    const exp = T0 / 1_000 + 600;
    cache.remember('a', alice, exp);
    cache.remember('b', { ...alice, subject: 'bob' }, exp);
    expect(cache.get('a')?.subject).toBe('alice'); // a is now the most recently used
    cache.remember('c', { ...alice, subject: 'carol' }, exp);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.subject).toBe('alice');
    expect(cache.get('c')?.subject).toBe('carol');
  });

  it('hands out identities nobody can change for the next request', () => {
    const cache = new VerifiedTokenCache(0, { now: clock().now });
    cache.remember('a', alice, T0 / 1_000 + 600);
    const remembered = cache.get('a');
    expect(Object.isFrozen(remembered)).toBe(true);
    expect(Object.isFrozen(remembered?.scopes)).toBe(true);
  });
});

describe('a token verifier with its cache', () => {
  it('refuses a token that differs from a remembered one only in its signature', async () => {
    const verify = createTokenVerifier({ hs256Secret: SECRET });
    const token = await signDevToken({ secret: SECRET, subject: 'alice', scopes: ['orders:read'] });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: 'alice' });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: 'alice' });
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.slice(-1)}`;
    await expect(verify(`Bearer ${tampered}`)).rejects.toThrow(/signature is invalid/);
  });

  it('refuses a remembered token once it has expired', async () => {
    const verify = createTokenVerifier({ hs256Secret: SECRET, clockToleranceSeconds: 0 });
    const token = await signDevToken({ secret: SECRET, subject: 'alice', scopes: [], ttlSeconds: 1 });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: 'alice' });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(/expired/);
  });
});
