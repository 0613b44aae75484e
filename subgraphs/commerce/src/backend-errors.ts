import { BackendError } from '@crossdock/connectors';
import { fromBackend, type FromBackendOptions } from '@crossdock/service';
import { badUserInput } from './user-input';

/** What a client reads when the platform cannot answer; the address and socket error stay in the logs. */
export const COMMERCE_UNAVAILABLE: FromBackendOptions = { message: 'The commerce platform is unavailable; try again shortly.' };

/**
 * fromBackend for a list page that resumes at `after`. A cursor wraps the platform's own page
 * token, so a client can forge one that decodes fine; the platform then refuses the token
 * (HTTP 4xx), and that is the client's error to fix, not an outage.
 */
export function callCommerceAfter<T>(after: string | null | undefined, call: () => Promise<T>): Promise<T> {
  return fromBackend(async () => {
    try {
      return await call();
    } catch (error) {
      if (after && error instanceof BackendError && error.kind === 'client-error') {
        throw badUserInput('"after" is not a valid cursor for this list', 'after');
      }
      throw error;
    }
  }, COMMERCE_UNAVAILABLE);
}
