import { describe, expect, it } from '@jest/globals';
import type { Page, PageRequest } from '@crossdock/model';
import { connectionOf, type Connection } from '../src/connection';

/**
 * A backend list with opaque page tokens and a page cap below what clients may ask for: the
 * shape of many real APIs, and unlike the ERP simulator's offsets.
 */
function tokenBackend(items: readonly string[], cap: number, emptyPageAt?: number) {
  const calls: PageRequest[] = [];
  const fetchPage = async (page: PageRequest): Promise<Page<string>> => {
    calls.push(page);
    const start = page.after ? Number(page.after.replace('tok-', '')) : 0;
    if (start === emptyPageAt) return { items: [], nextCursor: `tok-${start}!` };
    const from = page.after?.endsWith('!') ? Number(page.after.slice(4, -1)) : start;
    const slice = items.slice(from, from + Math.min(page.first, cap));
    const end = from + slice.length;
    return { items: slice, nextCursor: end < items.length ? `tok-${end}` : null };
  };
  return { fetchPage, calls };
}

const ITEMS = Array.from({ length: 25 }, (_, i) => `item-${i + 1}`);

async function walk(fetchPage: (page: PageRequest) => Promise<Page<string>>, first: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i += 1) {
    const page: Connection<string> = await connectionOf('things', { first, after }, fetchPage);
    seen.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error('never ended');
}

describe('connectionOf', () => {
  it('fills a page across backend pages when the backend caps below first', async () => {
    const backend = tokenBackend(ITEMS, 7);
    const page = await connectionOf('things', { first: 10 }, backend.fetchPage);
    expect(page.edges.map((e) => e.node)).toEqual(ITEMS.slice(0, 10));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(backend.calls).toHaveLength(2);
  });

  it.each([1, 7, 10, 25, 100])('walks everything %i at a time, once each', async (first) => {
    expect(await walk(tokenBackend(ITEMS, 7).fetchPage, first)).toEqual(ITEMS);
  });

  it('resumes after every edge, including ones in the middle of a backend page', async () => {
    const backend = tokenBackend(ITEMS, 7);
    const page = await connectionOf('things', { first: 12 }, backend.fetchPage);
    for (const [i, edge] of page.edges.entries()) {
      const next = await connectionOf('things', { first: 1, after: edge.cursor }, backend.fetchPage);
      expect(next.edges.map((e) => e.node)).toEqual([ITEMS[i + 1]]);
    }
  });

  it('does not spin on an empty backend page that still has a continuation', async () => {
    const backend = tokenBackend(ITEMS, 7, 7);
    const page = await connectionOf('things', { first: 10 }, backend.fetchPage);
    expect(page.edges.map((e) => e.node)).toEqual(ITEMS.slice(0, 7));
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await connectionOf('things', { first: 100, after: page.pageInfo.endCursor }, backend.fetchPage);
    expect(rest.edges.map((e) => e.node)).toEqual(ITEMS.slice(7));
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges.at(-1)!.cursor });
  });

  it('answers an empty list with no cursor', async () => {
    const page = await connectionOf('things', { first: 5 }, tokenBackend([], 7).fetchPage);
    expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
