import { describe, expect, it } from '@jest/globals';
import { RequestScopes } from '../src/request-scopes';

/** A context as a subgraph makes one: here just a serial number, to tell them apart. */
function counter(): () => { serial: number } {
  let serial = 0;
  return () => ({ serial: (serial += 1) });
}

describe('RequestScopes', () => {
  it('gives the fetches of one client request one context, and other requests their own', () => {
    const scopes = new RequestScopes<{ serial: number }>();
    const create = counter();
    const first = scopes.contextFor('req-1', 'caller-a', create);
    expect(scopes.contextFor('req-1', 'caller-a', create)).toBe(first);
    expect(scopes.contextFor('req-2', 'caller-a', create)).not.toBe(first);
    expect(scopes.size).toBe(2);
  });

  it('never shares a context between callers, whatever request name they carry', () => {
    const scopes = new RequestScopes<{ serial: number }>();
    const create = counter();
    const mine = scopes.contextFor('req-1', 'caller-a', create);
    expect(scopes.contextFor('req-1', 'caller-b', create)).not.toBe(mine);
  });

  it('makes a fresh context for every fetch without a request name (mutations, callers other than the gateway)', () => {
    const scopes = new RequestScopes<{ serial: number }>();
    const create = counter();
    expect(scopes.contextFor(undefined, 'caller-a', create)).not.toBe(scopes.contextFor(undefined, 'caller-a', create));
    expect(scopes.contextFor('', 'caller-a', create)).not.toBe(scopes.contextFor('', 'caller-a', create));
    expect(scopes.size).toBe(0);
  });

  it('forgets a scope once it was idle for idleMs, and keeps one that is still used', () => {
    let now = 0;
    const scopes = new RequestScopes<{ serial: number }>({ idleMs: 100, now: () => now });
    const create = counter();
    const busy = scopes.contextFor('busy', 'c', create);
    const idle = scopes.contextFor('idle', 'c', create);
    now = 60;
    expect(scopes.contextFor('busy', 'c', create)).toBe(busy);
    now = 120;
    // "idle" was last used at 0: gone; "busy" at 60: kept.
    expect(scopes.contextFor('busy', 'c', create)).toBe(busy);
    expect(scopes.contextFor('idle', 'c', create)).not.toBe(idle);
  });

  it('keeps at most maxScopes, dropping the one used longest ago', () => {
    const scopes = new RequestScopes<{ serial: number }>({ maxScopes: 2 });
    const create = counter();
    const a = scopes.contextFor('a', 'c', create);
    const b = scopes.contextFor('b', 'c', create);
    expect(scopes.contextFor('a', 'c', create)).toBe(a); // a is now the most recently used
    scopes.contextFor('c', 'c', create);
    expect(scopes.size).toBe(2);
    expect(scopes.contextFor('a', 'c', create)).toBe(a);
    expect(scopes.contextFor('b', 'c', create)).not.toBe(b);
  });

  it('refuses settings that would keep nothing', () => {
    expect(() => new RequestScopes({ idleMs: 0 })).toThrow(RangeError);
    expect(() => new RequestScopes({ maxScopes: 0 })).toThrow(RangeError);
  });
});
