import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { errorsOf, startHarness, worldOrder, type CommerceHarness } from './harness';

describe('commerce subgraph: the commerce platform is down', () => {
  let hub: CommerceHarness;

  beforeAll(async () => {
    hub = await startHarness();
  });
  afterEach(() => hub.setFault('none'));
  afterAll(() => hub.close());

  it('answers BACKEND_UNAVAILABLE at the failing field and still resolves the rest', async () => {
    await hub.setFault('down');
    const result = await hub.run<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) {
        _entities(representations: $r) { ... on Customer { id } ... on Order { id channel } ... on OrderLine { id } }
      }`,
      {
        r: [
          { __typename: 'Customer', id: 'CUST-0001' },
          { __typename: 'Order', id: 'ORD-000001' },
          { __typename: 'OrderLine', id: 'ORD-000002:1' },
        ],
      },
    );
    expect(result.data?._entities).toEqual([{ id: 'CUST-0001' }, null, null]);
    expect(errorsOf(result)).toEqual([
      { code: 'BACKEND_UNAVAILABLE', path: ['_entities', 1] },
      { code: 'BACKEND_UNAVAILABLE', path: ['_entities', 2] },
    ]);
    // The client learns which system failed, not where it lives or how the socket died.
    expect(result.errors?.[0]?.message).toBe('The commerce platform is unavailable; try again shortly.');
    expect(result.errors?.[0]?.extensions?.backend).toBe('commerce');
  });

  it('fails order(id) and orders at their own paths', async () => {
    await hub.setFault('down');
    const single = await hub.run<{ order: unknown }>('{ order(id: "ORD-000001") { id } }');
    expect(single.data).toEqual({ order: null });
    expect(errorsOf(single)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['order'] }]);
    const list = await hub.run<{ orders: unknown }>('{ orders(first: 5) { edges { node { id } } } }');
    expect(list.data).toBeNull();
    expect(errorsOf(list)).toEqual([{ code: 'BACKEND_UNAVAILABLE', path: ['orders'] }]);
  });

  it('serves again as soon as the platform is back', async () => {
    await hub.setFault('down');
    expect(errorsOf(await hub.run('{ order(id: "ORD-000007") { id } }'))).toHaveLength(1);
    await hub.setFault('none');
    const result = await hub.run<{ order: { id: string; channel: string } }>('{ order(id: "ORD-000007") { id channel } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.order).toEqual({ id: 'ORD-000007', channel: worldOrder('ORD-000007').channel });
  });
});
