import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { rateLimitedAlarm, type Logger } from '@crossdock/service';
import type { GatewayContext } from '../context';
import { manifestQueryCache, trustedDocumentsPlugin } from '../trusted-documents/trusted-documents-plugin';
import { TrustedDocuments } from '../trusted-documents/trusted-documents';
import { ClientAdmission } from './admission';
import { CLIENT_CLASSES } from './client-class';
import { formatGatewayError } from './error-hygiene';
import { DEFAULT_LIMITS, type LimitsPolicy } from './limits-policy';
import { operationLimitsPlugin } from './limits-plugin';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { DEFAULT_RATE_LIMIT_TIMEOUT_MS, RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit-store';

/** The gateway's governance settings (issue 6, items 4 and 5); every one has a default. */
export interface GatewayLimitsOptions {
  /** Per-class limits (GATEWAY_LIMITS_PATH); the built-in defaults when absent. */
  limits?: LimitsPolicy;
  /** The trusted-document manifest (TRUSTED_DOCUMENTS_PATH); none when absent. */
  trustedDocuments?: TrustedDocuments;
  /** Redis for rate limits; null or absent: an in-process store (all-in-one only). */
  redisUrl?: string | null;
  /** How long a rate-limit check waits for Redis before the request passes unlimited (default 500 ms). */
  rateLimitTimeoutMs?: number;
}

type LimitsServerOptions = Pick<ApolloServerOptions<GatewayContext>, 'introspection' | 'formatError' | 'parseOptions' | 'persistedQueries'> & {
  plugins: ApolloServerPlugin<GatewayContext>[];
};

/**
 * What the limits add to the gateway's ApolloServer. Introspection is on for Apollo and decided
 * per class by the limits plugin; the parser's token cap is the largest class limit, so no
 * document costs more to parse than the most generous class may send.
 */
export function limitsServerOptions(options: GatewayLimitsOptions & { development: boolean; supergraphSdl: string }): LimitsServerOptions {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const documents = options.trustedDocuments ?? TrustedDocuments.none;
  const maxTokens = Math.max(...CLIENT_CLASSES.map((c) => limits.classes[c].maxTokens));
  return {
    introspection: true,
    formatError: formatGatewayError(options.development),
    parseOptions: { maxTokens },
    persistedQueries: { cache: manifestQueryCache(documents) },
    plugins: [trustedDocumentsPlugin(documents), operationLimitsPlugin({ cost: limits.cost, supergraphSdl: options.supergraphSdl, maxTokens })],
  };
}

/** Opens the rate-limit store (Redis when a URL is given) and the admission that uses it. */
export async function openClientAdmission(options: GatewayLimitsOptions & { logger: Logger }): Promise<{ admission: ClientAdmission; close(): Promise<void> }> {
  const alarm = rateLimitedAlarm(options.logger, 'rate-limits-unavailable');
  const store = options.redisUrl
    ? await RedisRateLimitStore.connect({
        url: options.redisUrl,
        onConnectionError: (error) => alarm('rate-limit Redis unreachable: requests pass unlimited until it is back', error),
      })
    : new MemoryRateLimitStore();
  const rateLimiter = new RateLimiter({ store, alarm, timeoutMs: options.rateLimitTimeoutMs ?? DEFAULT_RATE_LIMIT_TIMEOUT_MS });
  return { admission: new ClientAdmission(options.limits ?? DEFAULT_LIMITS, rateLimiter), close: () => rateLimiter.close() };
}
