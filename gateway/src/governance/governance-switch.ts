import type { IncomingMessage } from 'node:http';
import { SCOPES, type Identity } from '@crossdock/auth';
import { ConfigError, type Logger } from '@crossdock/service';
import type { GatewayContext } from '../context';
import { DegradedSubgraphs } from '../degraded-answers';
import type { ClientProfile } from '../limits/admission';
import { formatGatewayError } from '../limits/error-hygiene';
import type { limitsServerOptions } from '../limits/gateway-limits';
import { DEFAULT_LIMITS } from '../limits/limits-policy';

/**
 * Whether HTTP /graphql governs its callers: token verification, scope enforcement, limits, rate
 * limits and trusted documents ('on', always in production), or none of them ('off'). 'off'
 * exists only so that a benchmark can measure what governance costs, on the same build; it
 * leaves subscriptions (graphql-ws), /ops and the intake routes governed as ever.
 */
export type Governance = 'on' | 'off';

/** The benchmark-only switch; any value but 'on' or 'off' is a configuration error. */
export const BENCH_GOVERNANCE_VAR = 'CROSSDOCK_BENCH_GOVERNANCE';

/**
 * The governance a gateway started from the environment runs with. 'off' is refused when
 * NODE_ENV is 'production' (the gateway's default when NODE_ENV is unset), so it must be asked
 * for twice: the switch, and an environment that says it is not production.
 */
export function governanceFromEnv(value: string | undefined, nodeEnv: string): Governance {
  if (value === undefined || value === '' || value === 'on') return 'on';
  if (value !== 'off') throw new ConfigError(`${BENCH_GOVERNANCE_VAR} must be "on" or "off", got "${value}"`);
  if (nodeEnv === 'production') {
    throw new ConfigError(
      `${BENCH_GOVERNANCE_VAR}=off is refused with NODE_ENV=production (or NODE_ENV unset): it serves /graphql without ` +
        'authentication, scopes or limits, for benchmarks only',
    );
  }
  return 'off';
}

/**
 * Who every /graphql request is with governance off: an internal caller holding every scope, so
 * subgraphs (which still get the signed identity header and still filter rows) answer everything.
 */
export const UNGOVERNED_IDENTITY: Identity = Object.freeze({
  subject: 'crossdock-bench-ungoverned',
  scopes: Object.freeze([...SCOPES]),
  customerId: null,
  channel: null,
});

/** The internal class's profile, never counted against a rate limit nor restricted to trusted documents. */
const UNGOVERNED_CLIENT: ClientProfile = Object.freeze({
  clientClass: 'internal',
  limits: DEFAULT_LIMITS.classes.internal,
  clientName: null,
  trustedOnly: false,
});

/**
 * The /graphql request context with governance off: no token is read (a request without one is
 * served), no client is classified or admitted; only the per-request degraded-answer record is new.
 */
export function ungovernedContextFactory(): (req: IncomingMessage) => Promise<GatewayContext> {
  return async () => ({ identity: UNGOVERNED_IDENTITY, client: UNGOVERNED_CLIENT, degraded: new DegradedSubgraphs() });
}

/** Says, as loudly as a log can, that this gateway lets anyone read everything. */
export function warnUngoverned(logger: Logger): void {
  logger.warn(
    { [BENCH_GOVERNANCE_VAR]: 'off' },
    '!!! GOVERNANCE OFF: HTTP /graphql serves every caller, WITHOUT token verification, scope enforcement, limits, rate limits ' +
      'or trusted documents. Benchmark use only; never expose this gateway. !!!',
  );
}

/**
 * What limitsServerOptions adds to the ApolloServer, minus every check: no parser token cap, no
 * trusted-document manifest or check, no operation limits. Errors are still formatted without
 * stack traces outside development (that costs nothing on an answer without errors).
 */
export function ungovernedServerOptions(development: boolean): ReturnType<typeof limitsServerOptions> {
  return { introspection: true, formatError: formatGatewayError(development), persistedQueries: false, plugins: [] };
}
