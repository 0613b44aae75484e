import type { Identity } from '@crossdock/auth';
import type { Requirement, ScopeAlternatives } from './requirements';

/** What a request may see: whether it carries a verified token, and that token's scopes. */
export interface Access {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
}

/** Nobody: what a request without a verified identity gets (fail closed). */
export const NO_ACCESS: Access = { authenticated: false, scopes: new Set() };

/** The access of a verified identity. */
export function accessOf(identity: Identity): Access {
  return { authenticated: true, scopes: new Set(identity.scopes) };
}

/**
 * The access of a request context carrying a verified `identity` (GatewayContext); anything else
 * gets no access at all, so a context built wrongly fails closed.
 */
export function accessOfContext(context: Readonly<Record<string, unknown>>): Access {
  const identity = context['identity'];
  if (typeof identity !== 'object' || identity === null || !('scopes' in identity) || !Array.isArray(identity.scopes)) return NO_ACCESS;
  return { authenticated: true, scopes: new Set(identity.scopes.filter((scope): scope is string => typeof scope === 'string')) };
}

/**
 * A cache key for an access: only scopes some requirement names count, so tokens that differ in
 * scopes the schema never asks about share their analysis.
 */
export function accessKey(access: Access, relevant: ReadonlySet<string>): string {
  const scopes = [...access.scopes].filter((s) => relevant.has(s)).sort();
  return `${access.authenticated ? 'auth' : 'anon'}:${scopes.join(' ')}`;
}

function describeAlternatives(alternatives: ScopeAlternatives): string {
  const described = alternatives.map((all) => (all.length === 1 ? `scope ${all[0]}` : `scopes ${all.join(' and ')}`));
  return described.length === 0 ? 'a scope no token can have' : described.join(' or ');
}

/** What the access lacks to meet a requirement, in words for the error message; empty when met. */
export function unmetParts(requirement: Requirement | undefined, access: Access): string[] {
  if (!requirement) return [];
  const unmet: string[] = [];
  if (requirement.authenticated && !access.authenticated) unmet.push('authentication');
  for (const alternatives of requirement.scopes) {
    if (!alternatives.some((all) => all.every((scope) => access.scopes.has(scope)))) unmet.push(describeAlternatives(alternatives));
  }
  return unmet;
}
