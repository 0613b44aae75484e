import { verifyIdentity, type Identity } from '@crossdock/auth';
import { describe, expect, it } from '@jest/globals';
import { IdentitySignatures } from '../src/identity-signatures';

const SECRET = 'identity-signatures-test-secret';
const alice: Identity = { subject: 'alice', scopes: ['orders:read'], customerId: 'CUST-1', channel: null };

describe('IdentitySignatures', () => {
  it('signs a header the subgraphs accept, and reuses it for the same caller within a minute', () => {
    let now = 1_000_000;
    const signatures = new IdentitySignatures({ secret: SECRET, now: () => now });
    const first = signatures.header(alice);
    expect(verifyIdentity(first, SECRET, now)).toEqual(alice);
    now += 59_000;
    expect(signatures.header({ ...alice })).toBe(first); // another request of the same caller
    now += 1_000;
    const renewed = signatures.header(alice);
    expect(renewed).not.toBe(first);
    expect(verifyIdentity(renewed, SECRET, now + 4 * 60_000)).toEqual(alice); // still valid for four minutes
  });

  it('never hands one caller another caller\'s header', () => {
    const signatures = new IdentitySignatures({ secret: SECRET });
    const others: Identity[] = [
      { ...alice, customerId: 'CUST-2' },
      { ...alice, customerId: null, channel: 'edi' },
      { ...alice, scopes: ['orders:read', 'pricing:read'] },
      { ...alice, subject: 'bob' },
    ];
    for (const identity of [alice, ...others]) expect(verifyIdentity(signatures.header(identity), SECRET)).toEqual(identity);
    expect(new Set([alice, ...others].map((identity) => signatures.header(identity))).size).toBe(others.length + 1);
  });
});
