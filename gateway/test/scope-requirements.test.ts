import { ApolloGateway } from '@apollo/gateway';
import { describe, expect, it } from '@jest/globals';
import { applyForbiddenFields, readSchemaRequirements, supergraphForExecution, type ForbiddenLevel } from '../src/authorization';
import { LruCache } from '../src/authorization/lru-cache';
import { SUPERGRAPH_SDL } from './scope-support';

const SECURITY_LINKS = [
  '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
  '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
];

async function loads(supergraphSdl: string): Promise<true> {
  const gateway = new ApolloGateway({ supergraphSdl });
  try {
    await gateway.load();
    return true;
  } finally {
    await gateway.stop();
  }
}

describe('access rules in the supergraph', () => {
  it('composition links both specs for SECURITY, which stock @apollo/gateway refuses to serve', async () => {
    for (const link of SECURITY_LINKS) expect(SUPERGRAPH_SDL).toContain(link);
    await expect(loads(SUPERGRAPH_SDL)).rejects.toThrow(/requiresScopes\/v0.1 is for: SECURITY but is unsupported/);
  });

  it('hands the gateway the same supergraph with only the purpose of the enforced links dropped', async () => {
    const executable = supergraphForExecution(SUPERGRAPH_SDL);
    expect(executable).toBe(SUPERGRAPH_SDL.replace(SECURITY_LINKS[0]!, SECURITY_LINKS[0]!.replace(', for: SECURITY', '')).replace(SECURITY_LINKS[1]!, SECURITY_LINKS[1]!.replace(', for: SECURITY', '')));
    expect(executable).toContain('@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)');
    await expect(loads(executable)).resolves.toBe(true);
    const purposeFirst = SUPERGRAPH_SDL.replace(SECURITY_LINKS[1]!, '@link(for: SECURITY, url: "https://specs.apollo.dev/requiresScopes/v0.1")');
    expect(supergraphForExecution(purposeFirst)).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1")');
  });

  it('leaves other security features alone, so a graph using @policy still does not start', async () => {
    const withPolicy = SUPERGRAPH_SDL.replace(SECURITY_LINKS[1]!, `${SECURITY_LINKS[1]}\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)`);
    const executable = supergraphForExecution(withPolicy);
    expect(executable).toContain('@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)');
    await expect(loads(executable)).rejects.toThrow(/policy\/v0.1 is for: SECURITY but is unsupported/);
  });

  it('refuses a version of the specs it cannot read', () => {
    const newer = SUPERGRAPH_SDL.replace('requiresScopes/v0.1', 'requiresScopes/v0.2');
    expect(() => supergraphForExecution(newer)).toThrow(/enforces only https:\/\/specs.apollo.dev\/requiresScopes\/v0.1/);
    expect(() => readSchemaRequirements(newer)).toThrow(/refuses to serve access rules it cannot read/);
  });

  it('reads type and field requirements of the committed supergraph', () => {
    const requirements = readSchemaRequirements(SUPERGRAPH_SDL);
    expect(requirements.type('Query')).toEqual({ authenticated: true, scopes: [] });
    expect(requirements.type('Mutation')).toEqual({ authenticated: true, scopes: [] });
    expect(requirements.type('Money')).toEqual({ authenticated: false, scopes: [[['pricing:read']]] });
    expect(requirements.type('Order')).toEqual({ authenticated: false, scopes: [[['orders:read']]] });
    expect(requirements.field('Customer', 'name')).toEqual({ authenticated: false, scopes: [[['customers:read']]] });
    expect(requirements.field('Mutation', 'placeOrder')).toEqual({ authenticated: false, scopes: [[['orders:write']]] });
    expect(requirements.field('Customer', 'id')).toBeUndefined();
    expect([...requirements.scopes].sort()).toEqual(['customers:read', 'edi:submit', 'inventory:read', 'ops:admin', 'orders:read', 'orders:write', 'pricing:read', 'shipments:read']);
  });

  it('follows a renamed directive (`as:`), and reads nothing from a schema without the links', () => {
    const renamed = /* GraphQL */ `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY) { query: Query }
      type Query { a: String @scopes(scopes: [["x", "y"], ["z"]]) b: String @requiresScopes(scopes: [["ignored"]]) }
    `;
    const requirements = readSchemaRequirements(renamed);
    expect(requirements.field('Query', 'a')).toEqual({ authenticated: false, scopes: [[['x', 'y'], ['z']]] });
    expect(requirements.field('Query', 'b')).toBeUndefined();
    expect(readSchemaRequirements('type Query { a: String @requiresScopes(scopes: [["x"]]) }')).toMatchObject({ empty: true, scopes: new Set() });
    expect(requirements.empty).toBe(false);
  });
});

describe('completing a result', () => {
  const level: ForbiddenLevel = {
    forbidden: new Map(),
    nested: new Map([
      [
        'rows',
        {
          nullable: false,
          itemsNullable: [true],
          level: { forbidden: new Map([['secret', { nullable: false, message: 'no' }]]), nested: new Map() },
        },
      ],
    ]),
  };

  it('nulls only the list item when items may be null', () => {
    const data = { rows: [{ id: 1, secret: 'Row' }, null, { id: 3 }] };
    const { data: completed, errors } = applyForbiddenFields(data, level);
    expect(completed).toEqual({ rows: [null, null, { id: 3 }] });
    expect(errors.map((e) => [e.path, e.extensions['code']])).toEqual([[['rows', 0, 'secret'], 'FORBIDDEN']]);
  });

  it('leaves data without markers untouched', () => {
    const data = { rows: [{ id: 1 }] };
    expect(applyForbiddenFields(data, level)).toEqual({ data: { rows: [{ id: 1 }] }, errors: [] });
    expect(applyForbiddenFields(null, level)).toEqual({ data: null, errors: [] });
  });
});

describe('LruCache', () => {
  it('drops the least recently used entry first', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
    expect(() => new LruCache(0)).toThrow(/capacity of at least 1/);
  });
});
