import { GraphQLError, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { ClientProfile } from './admission';
import { measureOperation } from './document-shape';
import type { CostModel } from './operation-cost';

/** One operation as the limits see it, after parsing and validation, before planning. */
export interface OperationUnderReview {
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  /** Lexer tokens of the whole document (countTokens). */
  tokens: number;
}

/**
 * The first limit of the caller's class that the operation breaks, as the error to answer with,
 * or null when it may run. Checked in order of cost to compute; each error says the measured
 * value and the limit, in the message and in `extensions`.
 */
export function operationRefusal(client: ClientProfile, review: OperationUnderReview, costModel: CostModel): GraphQLError | null {
  const { limits, clientClass } = client;
  const forClass = `for ${clientClass} clients`;
  const shape = measureOperation(review.operation, review.fragments);
  if (shape.introspection && !limits.introspection) {
    return refusal('INTROSPECTION_DISABLED', `introspection is not allowed ${forClass}`, 403, {});
  }
  if (review.tokens > limits.maxTokens) {
    return refusal('TOO_MANY_TOKENS', `document has more than ${limits.maxTokens} tokens, the limit ${forClass}`, 400, {
      maxTokens: limits.maxTokens,
    });
  }
  if (shape.depth > limits.maxDepth) {
    return refusal('QUERY_TOO_DEEP', `query depth ${shape.depth} exceeds the limit of ${limits.maxDepth} ${forClass}`, 400, {
      depth: shape.depth,
      maxDepth: limits.maxDepth,
    });
  }
  if (shape.aliases > limits.maxAliases) {
    return refusal('TOO_MANY_ALIASES', `${shape.aliases} aliases exceed the limit of ${limits.maxAliases} ${forClass}`, 400, {
      aliases: shape.aliases,
      maxAliases: limits.maxAliases,
    });
  }
  if (shape.directives > limits.maxDirectives) {
    return refusal('TOO_MANY_DIRECTIVES', `${shape.directives} directives exceed the limit of ${limits.maxDirectives} ${forClass}`, 400, {
      directives: shape.directives,
      maxDirectives: limits.maxDirectives,
    });
  }
  const cost = costModel.operationCost(review.operation, review.fragments, review.variables);
  if (cost > limits.maxCost) {
    return refusal('QUERY_TOO_COMPLEX', `query cost ${cost} exceeds the limit of ${limits.maxCost} ${forClass}`, 400, {
      cost,
      maxCost: limits.maxCost,
    });
  }
  return null;
}

function refusal(code: string, message: string, status: number, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status } } });
}
