import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import type { TrustedDocuments } from './trusted-documents';

/** The GraphQL-over-HTTP trusted-documents field: `"documentId": "sha256:<hex>"` (or bare hex). */
const DOCUMENT_ID = 'documentId';

/**
 * Apollo Server's persisted-query cache, answered from the manifest: a request carrying
 * `extensions.persistedQuery: { version: 1, sha256Hash }` gets the registered document, and an
 * unknown hash gets Apollo's own PERSISTED_QUERY_NOT_FOUND, which Apollo's persisted-query link
 * expects. Nothing is ever registered: a client that sends the full text with a hash (automatic
 * persisted queries) is served, but its text does not become a trusted document.
 */
export function manifestQueryCache(documents: TrustedDocuments) {
  return {
    // Apollo prefixes its keys ("apq:"); the hash is what follows the last colon.
    get: async (key: string): Promise<string | undefined> => documents.get(key.slice(key.lastIndexOf(':') + 1)),
    set: async (): Promise<void> => undefined,
    delete: async (): Promise<boolean> => false,
  };
}

/**
 * Trusted documents (issue 6, item 5):
 * - a plain `documentId` (POST body or GET parameter) is served like the persisted-query
 *   extension with that hash;
 * - a caller whose class or client name is trusted-only runs manifest operations only: any other
 *   text is refused with OPERATION_NOT_TRUSTED (HTTP 403) before planning.
 * Install with `persistedQueries: { cache: manifestQueryCache(documents) }`.
 */
export function trustedDocumentsPlugin(documents: TrustedDocuments): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      useDocumentId(request);
      if (!contextValue.client.trustedOnly) return;
      return {
        async didResolveOperation({ queryHash }) {
          if (documents.has(queryHash)) return;
          const client = contextValue.client.clientName ?? `${contextValue.client.clientClass} clients`;
          throw new GraphQLError(`only trusted documents may run for ${client}: send a registered operation by its id`, {
            extensions: { code: 'OPERATION_NOT_TRUSTED', http: { status: 403 } },
          });
        },
      };
    },
  };
}

/** Turns a `documentId` into the persisted-query extension Apollo Server understands. */
function useDocumentId(request: GraphQLRequest): void {
  const id = documentIdOf(request);
  if (id === null || request.extensions?.persistedQuery) return;
  request.extensions = { ...request.extensions, persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } };
}

function documentIdOf(request: GraphQLRequest): string | null {
  const body = request.http?.body;
  if (typeof body === 'object' && body !== null && DOCUMENT_ID in body) {
    const id: unknown = new Map(Object.entries(body)).get(DOCUMENT_ID);
    return typeof id === 'string' ? id : null;
  }
  return request.http?.method === 'GET' ? new URLSearchParams(request.http.search).get(DOCUMENT_ID) : null;
}
