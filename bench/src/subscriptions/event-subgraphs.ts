/**
 * The two subgraphs of the subscription benchmark, in this one process (the cores belong to the
 * gateway under test): `stock` streams `inventoryChanged` over graphql-ws at a rate the suite
 * sets, `catalog` resolves `Product.name`, so every event needs an entity fetch from a second
 * subgraph. Prints `{"service":"<name>","port":<n>}` per subgraph.
 *
 * Control (stock, HTTP): POST /_bench/emit?rate=<events/s>&seconds=<s>&skus=<n> starts a bounded
 * burst, events on SKU-00001 … SKU-<n> round-robin; GET /_bench/stats[?since=<ms>] answers what was emitted (since then)
 * and how many upstream subscriptions are open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

export const stockTypeDefs = gql`
  ${LINK}
  type Query { stockHealth: Boolean }
  type Subscription { inventoryChanged(skus: [ID!], after: String): InventoryPosition! }
  type InventoryPosition { sku: ID!  onHand: Int!  emittedAt: Float!  product: Product! }
  type Product @key(fields: "sku", resolvable: false) { sku: ID! }
`;

export const catalogTypeDefs = gql`
  ${LINK}
  type Query { catalogHealth: Boolean }
  type Product @key(fields: "sku") { sku: ID!  name: String! }
`;

interface StockEvent {
  sku: string;
  onHand: number;
  emittedAt: number;
}

type Listener = (event: StockEvent) => void;

/** Subscribers by SKU ('*' for all): an event touches only the subscriptions that want it. */
class StockFeed {
  private readonly bySku = new Map<string, Set<Listener>>();
  emitted = 0;
  /** When each event was emitted, in order: what a measurement that started at some time should have received. */
  readonly emittedAt: number[] = [];

  /** Events emitted at or after `since` (ms, the load generator's clock: the same machine's). */
  emittedSince(since: number): number {
    let low = 0;
    let high = this.emittedAt.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.emittedAt[mid] ?? 0) < since) low = mid + 1;
      else high = mid;
    }
    return this.emittedAt.length - low;
  }

  get subscriptions(): number {
    const all = new Set<Listener>();
    for (const listeners of this.bySku.values()) for (const l of listeners) all.add(l);
    return all.size;
  }

  subscribe(skus: readonly string[] | null, field: string): AsyncIterableIterator<Record<string, StockEvent>> {
    const queue: Record<string, StockEvent>[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener: Listener = (event) => {
      queue.push({ [field]: event });
      wake?.();
    };
    const keys = skus ?? ['*'];
    for (const key of keys) {
      let set = this.bySku.get(key);
      if (!set) this.bySku.set(key, (set = new Set()));
      set.add(listener);
    }
    const iterator: AsyncIterableIterator<Record<string, StockEvent>> = {
      next: async () => {
        while (!done) {
          const value = queue.shift();
          if (value) return { done: false, value };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: async () => {
        done = true;
        for (const key of keys) this.bySku.get(key)?.delete(listener);
        wake?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  publish(event: StockEvent): void {
    this.emitted += 1;
    this.emittedAt.push(event.emittedAt);
    for (const listener of this.bySku.get('*') ?? []) listener(event);
    for (const listener of this.bySku.get(event.sku) ?? []) listener(event);
  }

  /** `rate` events per second for `seconds`, spread over 10 ms ticks. */
  emit(rate: number, seconds: number, skuCount: number): void {
    const ticks = seconds * 100;
    let tick = 0;
    let sent = 0;
    const timer = setInterval(() => {
      tick += 1;
      const due = Math.round((rate * tick) / 100);
      for (; sent < due; sent += 1) {
        const sku = `SKU-${String((sent % skuCount) + 1).padStart(5, '0')}`;
        this.publish({ sku, onHand: sent, emittedAt: performance.timeOrigin + performance.now() });
      }
      if (tick >= ticks) clearInterval(timer);
    }, 10);
  }
}

/** Answers POST /graphql by executing against the schema; parsed documents are kept by text. */
function graphqlRoute(schema: GraphQLSchema): (req: IncomingMessage, res: ServerResponse) => void {
  const documents = new Map<string, DocumentNode>();
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      let document = documents.get(body.query);
      if (!document) documents.set(body.query, (document = parse(body.query)));
      void Promise.resolve(execute({ schema, document, variableValues: body.variables ?? {} })).then((result) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      });
    });
  };
}

async function main(): Promise<void> {
  const feed = new StockFeed();
  const stockSchema = buildSubgraphSchema([
    {
      typeDefs: stockTypeDefs,
      resolvers: {
        Subscription: {
          inventoryChanged: { subscribe: (_: unknown, args: { skus?: string[] | null }) => feed.subscribe(args.skus ?? null, 'inventoryChanged') },
        },
        InventoryPosition: { product: (position: StockEvent) => ({ sku: position.sku }) },
      },
    },
  ]);
  const catalogSchema = buildSubgraphSchema([
    {
      typeDefs: catalogTypeDefs,
      resolvers: { Product: { __resolveReference: (ref: { sku: string }) => ref, name: (p: { sku: string }) => `Product ${p.sku}` } },
    },
  ]);
  const stockGraphql = graphqlRoute(stockSchema);
  const stock = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/_bench/emit') {
      feed.emit(Number(url.searchParams.get('rate')), Number(url.searchParams.get('seconds')), Number(url.searchParams.get('skus')));
      res.end('{}');
    } else if (url.pathname === '/_bench/stats') {
      res.setHeader('content-type', 'application/json');
      const since = Number(url.searchParams.get('since') ?? 0);
      res.end(JSON.stringify({ emitted: feed.emitted, emittedSince: feed.emittedSince(since), subscriptions: feed.subscriptions }));
    } else stockGraphql(req, res);
  });
  useServer({ schema: stockSchema }, new WebSocketServer({ server: stock, path: '/graphql' }));
  const catalog = createServer(graphqlRoute(catalogSchema));
  const servers: Server[] = [stock, catalog];
  console.log(JSON.stringify({ service: 'stock', port: await listen(stock) }));
  console.log(JSON.stringify({ service: 'catalog', port: await listen(catalog) }));
  const stop = (): void => {
    for (const server of servers) server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
