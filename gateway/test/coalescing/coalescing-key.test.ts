import type { Identity } from '@crossdock/auth';
import { describe, expect, it } from '@jest/globals';
import { CoalescingKeys, type CallerView } from '../../src/coalescing';
import { DEFAULT_LIMITS } from '../../src/limits/limits-policy';

const identity: Identity = { subject: 'portal-user', scopes: ['orders:read', 'customers:read'], customerId: 'CUST-0001', channel: null };
const client = { clientClass: 'portal' as const, limits: DEFAULT_LIMITS.classes.portal, clientName: null, trustedOnly: false };
const caller: CallerView = { identity, client, accept: 'application/json' };
const query = 'query Orders($first: Int!) { orders(first: $first) { edges { node { id } } } }';

describe('CoalescingKeys', () => {
  const keys = new CoalescingKeys();

  it('gives the same query from the same view the same key, whatever the variables\' key order', () => {
    const a = keys.keyOf({ query, variables: { first: 5, filter: { channel: 'web', status: ['NEW'] } } }, caller);
    const b = keys.keyOf({ query, variables: { filter: { status: ['NEW'], channel: 'web' }, first: 5 } }, { ...caller, identity: { ...identity, scopes: ['customers:read', 'orders:read'] } });
    expect(a).not.toBeNull();
    expect(b).toBe(a);
  });

  it('never gives callers who may see different things the same key', () => {
    const base = keys.keyOf({ query, variables: { first: 5 } }, caller);
    const views: CallerView[] = [
      { ...caller, identity: { ...identity, customerId: 'CUST-0002' } },
      { ...caller, identity: { ...identity, customerId: null } },
      { ...caller, identity: { ...identity, channel: 'edi' } },
      { ...caller, identity: { ...identity, scopes: ['orders:read'] } },
      { ...caller, identity: { ...identity, subject: 'someone-else' } },
      { ...caller, client: { ...client, clientClass: 'partner' } },
      { ...caller, client: { ...client, trustedOnly: true } },
      { ...caller, client: { ...client, clientName: 'web-shop' } },
      { ...caller, accept: 'application/graphql-response+json' },
    ];
    const others = views.map((view) => keys.keyOf({ query, variables: { first: 5 } }, view));
    expect(others.every((key) => key !== null && key !== base)).toBe(true);
    expect(new Set(others).size).toBe(others.length);
  });

  it('keeps different variables, operation names and extensions apart', () => {
    const document = 'query A { orders(first: 1) { edges { cursor } } } query B { orders(first: 2) { edges { cursor } } }';
    const found = [
      keys.keyOf({ query, variables: { first: 5 } }, caller),
      keys.keyOf({ query, variables: { first: 6 } }, caller),
      keys.keyOf({ query: document, operationName: 'A' }, caller),
      keys.keyOf({ query: document, operationName: 'B' }, caller),
      keys.keyOf({ query, variables: { first: 5 }, extensions: { clientLibrary: 'x' } }, caller),
    ];
    expect(found.every((key) => key !== null)).toBe(true);
    expect(new Set(found).size).toBe(found.length);
  });

  it('never coalesces mutations or subscriptions, also inside a document that has a query too', () => {
    const mixed = 'query Q { orders(first: 1) { edges { cursor } } } mutation M { cancelOrder(id: "1") { order { id } } } subscription S { orderUpdated { id } }';
    expect(keys.keyOf({ query: 'mutation { cancelOrder(id: "1") { order { id } } }' }, caller)).toBeNull();
    expect(keys.keyOf({ query: 'subscription { orderUpdated { id } }' }, caller)).toBeNull();
    expect(keys.keyOf({ query: mixed, operationName: 'M' }, caller)).toBeNull();
    expect(keys.keyOf({ query: mixed, operationName: 'S' }, caller)).toBeNull();
    expect(keys.keyOf({ query: mixed, operationName: 'Q' }, caller)).not.toBeNull();
  });

  it('leaves to Apollo what it must refuse or cannot share', () => {
    expect(keys.keyOf({ query: '{ orders(' }, caller)).toBeNull(); // syntax error
    expect(keys.keyOf({ query: 'query A { a } query B { b }' }, caller)).toBeNull(); // which operation?
    expect(keys.keyOf({ query: 'query A { a }', operationName: 'Nope' }, caller)).toBeNull();
    expect(keys.keyOf({ extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, caller)).toBeNull();
    expect(keys.keyOf({ query, operationName: 42 }, caller)).toBeNull();
    expect(keys.keyOf([{ query }], caller)).toBeNull(); // batches
    expect(keys.keyOf({ query }, { ...caller, accept: 'multipart/mixed; deferSpec=20220824, application/json' })).toBeNull();
  });
});
