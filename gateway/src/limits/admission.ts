import type { IncomingHttpHeaders } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { Identity } from '@crossdock/auth';
import { countRateLimited } from '@crossdock/telemetry';
import { GraphQLError } from 'graphql';
import { classifyClient, type ClientClass } from './client-class';
import type { ClassLimits, LimitsPolicy } from './limits-policy';
import type { RateLimiter } from './rate-limiter';

/** The header Apollo clients name themselves in; also used for deprecation metrics. */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';

/** What the gateway knows about a verified caller: its class and the limits that apply. */
export interface ClientProfile {
  clientClass: ClientClass;
  limits: ClassLimits;
  /** As the client named itself (`apollographql-client-name`); not verified. */
  clientName: string | null;
  /**
   * Only trusted documents run for this caller: its class says so, or its client name is listed.
   * A client name is self-declared, so it can only add this restriction, never lift one.
   */
  trustedOnly: boolean;
}

/**
 * Admits a verified caller: classifies it and counts the request against its subject's rate
 * limit, refusing with RATE_LIMITED (HTTP 429, `extensions.retryAfter` in seconds and a
 * Retry-After header) before the body is read. `rateLimiter` null: no rate limits.
 */
export class ClientAdmission {
  constructor(
    private readonly policy: LimitsPolicy,
    private readonly rateLimiter: RateLimiter | null,
  ) {}

  /** The caller's class, limits and trusted-only flag, without counting a request. */
  profile(identity: Identity, headers: IncomingHttpHeaders): ClientProfile {
    const clientClass = classifyClient(identity, headers.authorization);
    const limits = this.policy.classes[clientClass];
    const nameHeader = headers[CLIENT_NAME_HEADER];
    const clientName = typeof nameHeader === 'string' && nameHeader.length > 0 ? nameHeader : null;
    const trustedOnly = limits.trustedOnly || (clientName !== null && this.policy.trustedOnlyClients.includes(clientName));
    return { clientClass, limits, clientName, trustedOnly };
  }

  /** The caller's profile, after counting this request against its rate limit (or refusing it). */
  async admit(identity: Identity, headers: IncomingHttpHeaders): Promise<ClientProfile> {
    const profile = this.profile(identity, headers);
    const rule = profile.limits.rateLimit;
    if (!rule || !this.rateLimiter) return profile;
    // One bucket per subject and class: a subject is one caller, and its class fixes its limit.
    const decision = await this.rateLimiter.check(`${profile.clientClass}:${identity.subject}`, rule);
    if (decision.allowed) return profile;
    countRateLimited(profile.clientClass);
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1_000));
    throw new GraphQLError(
      `rate limit exceeded: ${rule.requests} requests per ${rule.windowSeconds} s for ${profile.clientClass} clients; retry in ${retryAfter} s`,
      {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfter,
          http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
        },
      },
    );
  }
}
