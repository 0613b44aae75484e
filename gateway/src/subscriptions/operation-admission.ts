import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '@crossdock/auth';
import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { accessOf, FORBIDDEN, type ScopeEnforcer } from '../authorization';
import type { ClientAdmission, ClientProfile } from '../limits/admission';
import { costDirectivesFromSdl } from '../limits/cost-directives';
import { countTokens, fragmentsOf } from '../limits/document-shape';
import { withoutSuggestions } from '../limits/error-hygiene';
import type { LimitsPolicy } from '../limits/limits-policy';
import { CostModel } from '../limits/operation-cost';
import { operationRefusal } from '../limits/operation-limits';
import { sha256, type TrustedDocuments } from '../trusted-documents/trusted-documents';
import type { SubscriptionRequest } from './subscription-fan-out';
import type { SubscriptionPlanner } from './subscription-planner';

/** A verified caller on one WebSocket: who it is and what headers it connected with. */
export interface SubscriptionCaller {
  identity: Identity;
  /** The upgrade request's headers with `authorization` from `connection_init`. */
  headers: IncomingHttpHeaders;
}

export interface OperationAdmissionOptions {
  planner: SubscriptionPlanner;
  /** The scope check of the schema being served (ScopeEnforcingGateway.scopes). */
  scopes: () => ScopeEnforcer;
  admission: ClientAdmission;
  limits: LimitsPolicy;
  trustedDocuments: TrustedDocuments;
  supergraphSdl: string;
}

/** Either the subscription to open or the errors to answer the `subscribe` message with. */
export type AdmissionDecision = { request: SubscriptionRequest } | { errors: GraphQLFormattedError[] };

/**
 * The checks a subscription passes before anything is subscribed, the same as an HTTP operation
 * gets: trusted documents, parsing and validation, the caller's class limits (depth, aliases,
 * cost, …), its rate limit (each subscribe counts as a request), then the scope reduction. A
 * subscription whose root field the token may not see is refused with FORBIDDEN.
 */
export class OperationAdmission {
  private readonly costModel: CostModel;

  constructor(private readonly options: OperationAdmissionOptions) {
    this.costModel = new CostModel(options.planner.schema, options.limits.cost, costDirectivesFromSdl(options.supergraphSdl));
  }

  async admit(payload: SubscribePayload, caller: SubscriptionCaller): Promise<AdmissionDecision> {
    let client: ClientProfile;
    try {
      client = await this.options.admission.admit(caller.identity, caller.headers);
    } catch (error) {
      if (error instanceof GraphQLError) return refused(error);
      throw error;
    }
    try {
      return { request: this.check(payload, caller.identity, client) };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const formatted = refused(error);
      return client.limits.suggestions ? formatted : { errors: formatted.errors.map(withoutSuggestions) };
    }
  }

  private check(payload: SubscribePayload, identity: Identity, client: ClientProfile): SubscriptionRequest {
    const source = this.trustedSource(payload, client);
    const queryHash = sha256(source);
    const document = this.parse(source, client);
    const errors = validate(this.options.planner.schema, document);
    if (errors.length > 0) throw errors[0] ?? new GraphQLError('invalid operation');
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) throw badRequest(operationName ? `no operation named "${operationName}"` : 'the document must contain exactly one operation or name one');
    if (operation.operation !== 'subscription') throw badRequest(`only subscriptions run over WebSocket; send a ${operation.operation} over HTTP`);
    const variables = payload.variables ?? {};
    const refusal = operationRefusal(client, { operation, fragments: fragmentsOf(document), variables, tokens: countTokens(source, client.limits.maxTokens + 1) }, this.costModel);
    if (refusal) throw refusal;
    const scoped = this.options.scopes().authorize({ document, operationName, queryHash, access: accessOf(identity) });
    const rootRefusal = scoped && [...scoped.forbidden.forbidden.values()][0];
    if (rootRefusal) throw new GraphQLError(rootRefusal.message, { extensions: { code: FORBIDDEN } });
    const runs = scoped?.document ?? document;
    const runHash = scoped?.queryHash ?? queryHash;
    return {
      plan: this.options.planner.plan(runs, operationName, runHash),
      scoped,
      queryHash: runHash,
      operationName,
      variables,
      identity,
      client,
    };
  }

  /** The document's text: sent by id (persisted-query extension or `documentId`) or in full. */
  private trustedSource(payload: SubscribePayload, client: ClientProfile): string {
    const documents = this.options.trustedDocuments;
    const id = documentIdOf(payload);
    if (id !== null) {
      const registered = documents.get(id);
      if (!registered) throw new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
      return registered;
    }
    if (!payload.query) throw badRequest('the subscribe payload has no query');
    if (client.trustedOnly && !documents.has(sha256(payload.query))) {
      throw new GraphQLError('only registered operations may run for this client', { extensions: { code: 'OPERATION_NOT_TRUSTED' } });
    }
    return payload.query;
  }

  private parse(source: string, client: ClientProfile): DocumentNode {
    try {
      return parse(source, { maxTokens: client.limits.maxTokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const tooLong = /Document contains more tha[nt] \d+ tokens/.test(error.message);
      throw new GraphQLError(error.message, { extensions: { code: tooLong ? 'TOO_MANY_TOKENS' : 'GRAPHQL_PARSE_FAILED' } });
    }
  }
}

function documentIdOf(payload: SubscribePayload): string | null {
  const persisted = payload.extensions?.['persistedQuery'];
  if (typeof persisted === 'object' && persisted !== null && 'sha256Hash' in persisted && typeof persisted.sha256Hash === 'string') return persisted.sha256Hash;
  const documentId = 'documentId' in payload ? payload.documentId : undefined;
  if (typeof documentId === 'string') return documentId.replace(/^sha256:/, '');
  return null;
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

/** A refusal as the `error` message's payload, without Apollo's `http` hint. */
function refused(error: GraphQLError): { errors: GraphQLFormattedError[] } {
  const { http: _http, ...extensions } = error.extensions;
  return { errors: [{ ...error.toJSON(), extensions }] };
}
