import { GraphQLError } from 'graphql';

/** A client error the client can fix: a bad argument, page size or cursor. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument === undefined ? {} : { argument }) },
  });
}
