import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@crossdock/auth';
import { testQuery } from '@crossdock/bench/src/federation/test-query';
import { freePort, repoRoot, startRedis, startServiceProcess, type BackingService, type ServiceProcess } from '@crossdock/testkit';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { comparableAnswer, expectSameAnswer, portOf, startStockGateway, type StockGateway } from './support/differential';

const SUBGRAPHS = ['accounts', 'inventory', 'products', 'reviews'] as const;
const COMMITTED_PORTS = { accounts: 4201, inventory: 4202, products: 4203, reviews: 4204 };

/** Queries of the benchmark graph beyond TestQuery (@requires, entity chains, a validation error), and the subgraphs each needs. */
const QUERIES: Record<string, { body: { query: string; operationName?: string }; uses: readonly string[] }> = {
  TestQuery: { body: { query: testQuery, operationName: 'TestQuery' }, uses: SUBGRAPHS },
  'shipping estimate (@requires)': { body: { query: '{ topProducts(first: 3) { upc price weight shippingEstimate inStock } }' }, uses: ['products', 'inventory'] },
  'reviews with authors': { body: { query: '{ topProducts { name reviews { body author { username reviews { id } } } } }' }, uses: ['products', 'reviews'] }, // username comes with the review (@provides)
  'validation error': { body: { query: '{ topProducts { nope } }' }, uses: [] },
};

/** The subgraph each faulty variant breaks. */
const BROKEN = { healthy: null, 'inventory down': 'inventory', 'reviews erroring': 'reviews', 'accounts 503': 'accounts' } as const;

/**
 * The differential test on graphql-hive/graphql-gateways-benchmark's federation graph: for each
 * query, Crossdock's gateway (its production entry as a process, SUPERGRAPH_PATH pointing at the
 * composed file, a bearer token as always) answers exactly what stock @apollo/gateway answers on
 * the same subgraphs: healthy, with the inventory subgraph down (connection refused), with the
 * reviews subgraph answering only GraphQL errors, and with the accounts subgraph answering HTTP 503.
 */
describe('differential: Crossdock gateway vs stock @apollo/gateway on the benchmark graph', () => {
  const jwtSecret = randomBytes(24).toString('hex');
  const started: { stop(): Promise<void> }[] = [];
  let subgraphs: ServiceProcess;
  let redis: BackingService;
  let failing: Server;
  let authorization: string;
  const pairs: Record<string, { crossdock: ServiceProcess; stock: StockGateway }> = {};

  beforeAll(async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'crossdock-differential-'));
    [redis, subgraphs] = await Promise.all([
      startRedis(),
      startServiceProcess({ name: 'federation-subgraphs', entry: 'bench/src/federation/subgraphs/index.ts', env: { PORT: '0' }, waitFor: [...SUBGRAPHS] }),
    ]);
    started.push(redis, subgraphs);
    // Stands in for a broken subgraph: GraphQL errors with paths into its entities, or HTTP 503.
    failing = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/unavailable/graphql') {
        res.statusCode = 503;
        res.end(JSON.stringify({ errors: [{ message: 'accounts backend unavailable' }] }));
        return;
      }
      res.end(JSON.stringify({ data: null, errors: [{ message: 'reviews backend exploded', path: ['_entities', 0, 'reviews'], extensions: { code: 'BACKEND_DOWN' } }] }));
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const ports = Object.fromEntries(SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${subgraphs.ports[name]!}/graphql`]));
    const broken = `http://127.0.0.1:${portOf(failing.address())}`;
    const variants: Record<keyof typeof BROKEN, Record<string, string>> = {
      healthy: ports,
      'inventory down': { ...ports, inventory: `http://127.0.0.1:${await freePort()}/graphql` },
      'reviews erroring': { ...ports, reviews: `${broken}/erroring/graphql` },
      'accounts 503': { ...ports, accounts: `${broken}/unavailable/graphql` },
    };
    // The gateway's built-in cost limit refuses TestQuery (cost 23,315); the benchmark raises it the same way.
    const limitsPath = join(workDir, 'limits.json');
    writeFileSync(limitsPath, JSON.stringify({ classes: { internal: { maxCost: 1_000_000 } } }));
    await Promise.all(
      Object.entries(variants).map(async ([variant, urls]) => {
        const supergraphSdl = supergraphFor(urls);
        const supergraphPath = join(workDir, `${variant.replace(/ /g, '-')}.graphql`);
        writeFileSync(supergraphPath, supergraphSdl);
        const [crossdock, stock] = await Promise.all([
          startServiceProcess({
            name: 'gateway',
            entry: 'gateway/src/index.ts',
            startTimeoutMs: 90_000,
            env: {
              PORT: '0',
              HOST: '127.0.0.1',
              SUPERGRAPH_PATH: supergraphPath,
              HUB_JWT_SECRET: jwtSecret,
              HUB_SUBGRAPH_SECRET: randomBytes(24).toString('hex'),
              REDIS_URL: redis.url,
              GATEWAY_LIMITS_PATH: limitsPath,
            },
          }),
          startStockGateway(supergraphSdl),
        ]);
        started.push(crossdock, stock);
        pairs[variant] = { crossdock, stock };
      }),
    );
    authorization = `Bearer ${await signDevToken({ secret: jwtSecret, subject: 'differential', scopes: ['orders:read'] })}`;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await new Promise((resolve) => failing?.close(resolve));
  });

  it('serves the supergraph file it is given to token holders only', async () => {
    const { crossdock } = pairs.healthy!;
    const anonymous = await comparableAnswer(`${crossdock.url}/graphql`, { query: '{ topProducts { upc } }' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.code).toBe('UNAUTHENTICATED');
    const answer = await comparableAnswer(`${crossdock.url}/graphql`, { query: '{ topProducts(first: 1) { upc } }' }, { authorization });
    expect(answer).toEqual({ status: 200, data: { topProducts: [{ upc: '1' }] }, errors: null });
  });

  for (const [variant, broken] of Object.entries<string | null>(BROKEN)) {
    for (const [name, { body, uses }] of Object.entries(QUERIES)) {
      it(`${variant}: ${name}`, async () => {
        const { crossdock, stock } = pairs[variant]!;
        const stockAnswer = await comparableAnswer(stock.url, body);
        const crossdockAnswer = await comparableAnswer(`${crossdock.url}/graphql`, body, { authorization });
        expectSameAnswer(crossdockAnswer, stockAnswer);
        // The fault shows wherever the query needs the broken subgraph, so the comparison covers it.
        if (broken !== null && uses.includes(broken)) expect(stockAnswer.errors?.length).toBeGreaterThan(0);
      });
    }
  }
});

/** The committed benchmark supergraph, each subgraph routed to the given URL. */
function supergraphFor(urls: Record<string, string>): string {
  let sdl = readFileSync(join(repoRoot(), 'bench', 'federation', 'supergraph.graphql'), 'utf8');
  for (const name of SUBGRAPHS) {
    const committed = `http://127.0.0.1:${COMMITTED_PORTS[name]}/graphql`;
    if (!sdl.includes(committed)) throw new Error(`the committed benchmark supergraph no longer routes ${name} to ${committed}`);
    sdl = sdl.replace(committed, urls[name]!);
  }
  return sdl;
}
