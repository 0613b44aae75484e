import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';
import { costDirectivesFromSdl } from './cost-directives';
import { countTokens, fragmentsOf } from './document-shape';
import type { CostSettings } from './limits-policy';
import { CostModel } from './operation-cost';
import { operationRefusal } from './operation-limits';
import { withoutSuggestions } from './error-hygiene';

export interface OperationLimitsPluginOptions {
  cost: CostSettings;
  /** The supergraph SDL, for `@cost` / `@listSize` it may carry. */
  supergraphSdl: string;
  /** Parsing already refuses documents above this many tokens, so counts stop there. */
  maxTokens: number;
}

/** Token counts of recent documents by query hash: the same operations come again and again. */
const TOKEN_CACHE_SIZE = 1_000;

/**
 * Enforces the caller's class limits on every operation after validation and before the
 * gateway plans it (didResolveOperation), and strips "Did you mean …?" from error messages for
 * classes without suggestions (validation errors and the rest alike, as they are sent).
 */
export function operationLimitsPlugin(options: OperationLimitsPluginOptions): ApolloServerPlugin<GatewayContext> {
  const directives = costDirectivesFromSdl(options.supergraphSdl);
  const costModels = new WeakMap<GraphQLSchema, CostModel>();
  const tokenCounts = new Map<string, number>();
  const tokensOf = (queryHash: string, source: string): number => {
    let tokens = tokenCounts.get(queryHash);
    if (tokens === undefined) {
      tokens = countTokens(source, options.maxTokens);
      if (tokenCounts.size >= TOKEN_CACHE_SIZE) tokenCounts.delete(tokenCounts.keys().next().value ?? '');
      tokenCounts.set(queryHash, tokens);
    }
    return tokens;
  };
  return {
    async requestDidStart({ contextValue }) {
      const { client } = contextValue;
      return {
        async didResolveOperation({ operation, document, schema, source, queryHash, request }) {
          if (!operation) return; // no such operation: execution answers that
          let costModel = costModels.get(schema);
          if (!costModel) {
            costModel = new CostModel(schema, options.cost, directives);
            costModels.set(schema, costModel);
          }
          const review = { operation, fragments: fragmentsOf(document), variables: request.variables ?? {}, tokens: tokensOf(queryHash, source) };
          const refusal = operationRefusal(client, review, costModel);
          if (refusal) throw refusal;
        },
        async willSendResponse({ response }) {
          if (client.limits.suggestions || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors) result.errors = result.errors.map(withoutSuggestions);
        },
      };
    },
  };
}
