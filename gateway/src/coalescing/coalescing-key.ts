import type { Identity } from '@crossdock/auth';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { LruCache } from '../authorization/lru-cache';
import type { ClientProfile } from '../limits/admission';
import { canonicalJson } from '../subscriptions/subscription-fan-out';

/** A GraphQL-over-HTTP request body, as posted. */
export interface PostedOperation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** Everything about the caller that can change what an answer contains or whether it is refused. */
export interface CallerView {
  identity: Identity;
  client: ClientProfile;
  /** The `accept` header: it decides the answer's content type and status codes. */
  accept: string | undefined;
}

/** Above this many tokens a document is left to Apollo's own parser and its limits. */
const MAX_TOKENS = 20_000;

/** What each operation of a document is, by name (null: the document's only, unnamed operation). */
type OperationKinds = ReadonlyMap<string | null, OperationTypeNode> | 'unparseable';

/**
 * Decides which requests may share one execution and under which key. Only queries are
 * coalesced; mutations and subscriptions never are (each must run, and run for its caller). The
 * key holds the document, operation name, variables and extensions as sent, plus the caller's
 * view: subject, scopes, customer and channel restrictions, client class, trusted-only flag and
 * client name, and the accept header. Two callers who might see anything different never get
 * the same key. The token itself is never part of it: two tokens of the same identity share.
 */
export class CoalescingKeys {
  private readonly kinds: LruCache<string, OperationKinds>;

  constructor(capacity = 1_000) {
    this.kinds = new LruCache(capacity);
  }

  /** The key for this request, or null when it must run on its own. */
  keyOf(body: unknown, caller: CallerView): string | null {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const { query, operationName, variables, extensions } = body as PostedOperation;
    if (typeof query !== 'string') return null; // persisted-query hashes and malformed bodies: Apollo answers them
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
    // Incremental delivery streams a multipart answer, which is not one string to hand around.
    if (caller.accept?.includes('multipart/mixed')) return null;
    if (this.operationKind(query, operationName ?? null) !== OperationTypeNode.QUERY) return null;
    return [
      viewKey(caller),
      caller.accept ?? '',
      operationName ?? '',
      variables === undefined ? '' : canonicalJson(variables),
      extensions === undefined ? '' : canonicalJson(extensions),
      query,
    ].join('\u0000');
  }

  /** The kind of the operation that would run, or null when Apollo will have to refuse the request. */
  private operationKind(query: string, operationName: string | null): OperationTypeNode | null {
    let kinds = this.kinds.get(query);
    if (kinds === undefined) {
      kinds = readOperationKinds(query);
      this.kinds.set(query, kinds);
    }
    if (kinds === 'unparseable') return null;
    if (operationName !== null) return kinds.get(operationName) ?? null;
    if (kinds.size !== 1) return null;
    return kinds.values().next().value ?? null;
  }
}

function readOperationKinds(query: string): OperationKinds {
  try {
    const document = parse(query, { noLocation: true, maxTokens: MAX_TOKENS });
    const kinds = new Map<string | null, OperationTypeNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) kinds.set(definition.name?.value ?? null, definition.operation);
    }
    return kinds;
  } catch {
    return 'unparseable';
  }
}

function viewKey({ identity, client }: CallerView): string {
  return JSON.stringify([
    identity.subject,
    [...identity.scopes].sort(),
    identity.customerId,
    identity.channel,
    client.clientClass,
    client.trustedOnly,
    client.clientName,
  ]);
}
