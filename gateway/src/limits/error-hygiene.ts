import type { GraphQLFormattedError } from 'graphql';

/**
 * Apollo's formatError for the gateway. Outside development no error carries a stack trace:
 * Apollo leaves out its own, and this removes any a subgraph sent along (`stacktrace`,
 * `exception`). A document refused by the parser's token cap is reported as TOO_MANY_TOKENS, the
 * same code the per-class token limit uses.
 */
export function formatGatewayError(development: boolean): (formatted: GraphQLFormattedError) => GraphQLFormattedError {
  return (formatted) => {
    const extensions = { ...formatted.extensions };
    // graphql-js 16 words it "more that N tokens"; accept the corrected wording too.
    if (extensions.code === 'GRAPHQL_PARSE_FAILED' && /Document contains more tha[nt] \d+ tokens/.test(formatted.message)) {
      extensions.code = 'TOO_MANY_TOKENS';
    }
    if (!development) {
      delete extensions.stacktrace;
      delete extensions.exception;
    }
    return { ...formatted, extensions };
  };
}

/** graphql-js' "Did you mean …?" hints name fields, types and enum values the caller did not ask for. */
export function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  return { ...error, message: error.message.replace(/ ?Did you mean .+\?$/, '') };
}
