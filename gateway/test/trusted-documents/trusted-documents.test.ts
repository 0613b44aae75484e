import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@crossdock/service';
import { buildASTSchema, parse, validate } from 'graphql';
import { DEFAULT_LIMITS, limitsPolicyFrom, loadLimitsPolicy } from '../../src/limits/limits-policy';
import { sha256, TrustedDocuments } from '../../src/trusted-documents/trusted-documents';
import { startLimitsGateway, type Answer, type LimitsGateway } from '../support/limits-gateway';

const NODE_VIEW = 'query NodeView { node { id child { id } } }';
const WORDS = 'query Words($first: Int) { nodes(first: $first) { id } }';
const UNREGISTERED = '{ word }';

/** As Apollo's generate-persisted-query-manifest writes it. */
const manifest = {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [
    { id: sha256(NODE_VIEW), name: 'NodeView', type: 'query', body: NODE_VIEW },
    { id: sha256(WORDS), name: 'Words', type: 'query', body: WORDS },
  ],
};

const persisted = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
const errorOf = (answer: Answer) => answer.body.errors?.[0];
const NODE_VIEW_DATA = { data: { node: { id: '1', child: { id: '1.1' } } } };

describe('trusted-document manifest', () => {
  it('reads Apollo persisted-query manifests and plain id → document maps', () => {
    const apollo = TrustedDocuments.fromManifest(manifest);
    expect(apollo.size).toBe(2);
    expect(apollo.get(sha256(WORDS))).toBe(WORDS);
    expect(TrustedDocuments.fromManifest({ [sha256(NODE_VIEW)]: NODE_VIEW }).get(sha256(NODE_VIEW))).toBe(NODE_VIEW);
  });

  it('refuses an id that is not the sha256 of its document, and anything that is no manifest', () => {
    expect(() => TrustedDocuments.fromManifest({ [sha256(WORDS)]: NODE_VIEW })).toThrow(/is not the sha256 of its document/);
    expect(() => TrustedDocuments.fromManifest([NODE_VIEW])).toThrow(ConfigError);
    expect(() => TrustedDocuments.load('/nonexistent/manifest.json')).toThrow(/TRUSTED_DOCUMENTS_PATH \/nonexistent\/manifest\.json/);
  });
});

describe('trusted documents through the gateway', () => {
  let gateway: LimitsGateway;

  beforeAll(async () => {
    gateway = await startLimitsGateway({
      limits: limitsPolicyFrom({ classes: { partner: { trustedOnly: true } }, trustedOnlyClients: ['crossdock-web'] }),
      trustedDocuments: TrustedDocuments.fromManifest(manifest),
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('runs a registered operation sent by its hash, as Apollo\'s persisted-query link sends it', async () => {
    const answer = await gateway.ask({ operationName: 'NodeView', ...persisted(NODE_VIEW) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(NODE_VIEW_DATA);
    const words = await gateway.ask({ variables: { first: 2 }, ...persisted(WORDS) }, { clientClass: 'partner' });
    expect(words.body).toEqual({ data: { nodes: [{ id: '0' }, { id: '1' }] } });
  });

  it('runs a registered operation sent as a plain documentId, by POST and by GET', async () => {
    expect((await gateway.ask({ documentId: `sha256:${sha256(NODE_VIEW)}` }, { clientClass: 'partner' })).body).toEqual(NODE_VIEW_DATA);
    expect((await gateway.ask({ documentId: sha256(NODE_VIEW) })).body).toEqual(NODE_VIEW_DATA);
    expect((await gateway.get(`documentId=sha256:${sha256(NODE_VIEW)}`, { clientClass: 'partner' })).body).toEqual(NODE_VIEW_DATA);
  });

  it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash, so Apollo clients know what happened', async () => {
    for (const body of [persisted(UNREGISTERED), { documentId: `sha256:${sha256(UNREGISTERED)}` }]) {
      const answer = await gateway.ask(body, { clientClass: 'partner' });
      expect(errorOf(answer)).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    }
  });

  it('refuses any operation outside the manifest from a trusted-only class, and runs manifest text', async () => {
    const refused = await gateway.ask({ query: UNREGISTERED }, { clientClass: 'partner' });
    expect(refused.status).toBe(403);
    expect(errorOf(refused)).toEqual({
      message: 'only trusted documents may run for partner clients: send a registered operation by its id',
      extensions: { code: 'OPERATION_NOT_TRUSTED' },
    });
    // The automatic-persisted-query retry (text and hash) does not register anything either.
    const retry = await gateway.ask({ query: UNREGISTERED, ...persisted(UNREGISTERED) }, { clientClass: 'partner' });
    expect(errorOf(retry)?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    expect((await gateway.ask({ query: NODE_VIEW }, { clientClass: 'partner' })).body).toEqual(NODE_VIEW_DATA);
  });

  it('lets other classes send either, without registering what they send', async () => {
    expect((await gateway.ask({ query: UNREGISTERED }, { clientClass: 'portal' })).body).toEqual({ data: { word: 'w' } });
    expect((await gateway.ask({ query: UNREGISTERED, ...persisted(UNREGISTERED) })).body).toEqual({ data: { word: 'w' } });
    expect(errorOf(await gateway.ask(persisted(UNREGISTERED)))?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('holds a client named trusted-only to the manifest whatever its class', async () => {
    const named = { headers: { 'apollographql-client-name': 'crossdock-web' } };
    const refused = await gateway.ask({ query: UNREGISTERED }, named);
    expect(errorOf(refused)).toMatchObject({ message: expect.stringContaining('for crossdock-web'), extensions: { code: 'OPERATION_NOT_TRUSTED' } });
    expect((await gateway.ask(persisted(NODE_VIEW), named)).body).toEqual(NODE_VIEW_DATA);
  });
});

describe('the example files in config/', () => {
  const configDir = join(__dirname, '..', '..', '..', 'config');

  it('spells out the built-in limits and loads as a limits file', () => {
    const example = loadLimitsPolicy(join(configDir, 'gateway-limits.example.json'));
    expect(example.classes).toEqual(DEFAULT_LIMITS.classes);
    expect(example.cost.fields).toEqual({ 'Product.inventory': { assumedSize: 5 } });
  });

  it('holds first-party operations that are valid against the committed supergraph', () => {
    const documents = TrustedDocuments.load(join(configDir, 'trusted-documents.example.json'));
    expect(documents.size).toBeGreaterThan(0);
    const supergraph = buildASTSchema(parse(readFileSync(join(configDir, '..', 'supergraph.graphql'), 'utf8')), { assumeValidSDL: true });
    for (const body of documents.bodies()) expect(validate(supergraph, parse(body))).toEqual([]);
  });
});
