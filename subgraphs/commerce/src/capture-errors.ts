import { OrderCaptureError } from '@crossdock/order-capture';
import { fromBackend } from '@crossdock/service';
import { GraphQLError } from 'graphql';

/**
 * Runs an order-capture call and turns what keeps it from answering into the GraphQL error the
 * contract names: FORBIDDEN (scope), BACKEND_UNAVAILABLE (with `extensions.backend`),
 * TEMPORARILY_UNAVAILABLE (the same idempotency key is still being placed). The cause stays in
 * `originalError` for the logs. Problems with the input are not errors here: they come back as
 * UserErrors in the payload.
 */
export function fromCapture<T>(call: () => Promise<T>): Promise<T> {
  return fromBackend(async () => {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof OrderCaptureError)) throw error;
      const backend = error.backend === null ? {} : { backend: error.backend };
      throw new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, ...backend } });
    }
  });
}
