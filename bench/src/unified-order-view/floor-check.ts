import { isDeepStrictEqual } from 'node:util';
import type { OrderViewNode } from '@crossdock/testkit';

/** How the floor's answer compares with the gateway's. */
export interface FloorComparison {
  orders: number;
  /** Orders whose every selected field is the same in both answers (the check itself is ids and totals). */
  identicalOrders: number;
}

/**
 * The order nodes of a `{ data: { orders: { edges } } }` answer, or an error naming what is
 * missing. Only the fields the comparison reads are checked.
 */
export function orderNodesOf(answer: unknown, who: string): OrderViewNode[] {
  if (typeof answer !== 'object' || answer === null) throw new Error(`${who} answered no JSON object`);
  if ('errors' in answer) throw new Error(`${who} answered with errors: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  const data = 'data' in answer ? answer.data : undefined;
  const orders = typeof data === 'object' && data !== null && 'orders' in data ? data.orders : undefined;
  const edges = typeof orders === 'object' && orders !== null && 'edges' in orders ? orders.edges : undefined;
  if (!Array.isArray(edges)) throw new Error(`${who} answered no data.orders.edges list`);
  return edges.map((edge: unknown, i) => {
    const node = typeof edge === 'object' && edge !== null && 'node' in edge ? edge.node : undefined;
    if (typeof node !== 'object' || node === null || !('id' in node) || typeof node.id !== 'string' || !('total' in node)) {
      throw new Error(`${who}: edge ${i} has no node with an id and a total`);
    }
    return node as OrderViewNode; // id and total checked above; the rest is only deep-compared
  });
}

/**
 * Throws unless the floor found the same orders, in the same order, with the same totals as the
 * gateway: otherwise the floor would be the floor of some other query.
 */
export function compareWithGateway(gateway: readonly OrderViewNode[], floor: readonly OrderViewNode[]): FloorComparison {
  if (gateway.length === 0) throw new Error('the gateway answered no orders; nothing to compare');
  const ids = (nodes: readonly OrderViewNode[]): string => nodes.map((node) => node.id).join(',');
  if (ids(gateway) !== ids(floor)) throw new Error(`order ids differ: gateway ${ids(gateway)}, floor ${ids(floor)}`);
  gateway.forEach((node, i) => {
    const floorTotal = floor[i]?.total ?? null;
    if (!isDeepStrictEqual(node.total, floorTotal)) {
      throw new Error(`order ${node.id} total differs: gateway ${JSON.stringify(node.total)}, floor ${JSON.stringify(floorTotal)}`);
    }
  });
  return { orders: gateway.length, identicalOrders: gateway.filter((node, i) => isDeepStrictEqual(node, floor[i])).length };
}
