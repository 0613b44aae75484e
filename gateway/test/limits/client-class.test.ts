import { describe, expect, it } from '@jest/globals';
import type { Identity } from '@crossdock/auth';
import { classifyClient } from '../../src/limits/client-class';

/** A bearer header with these claims; classifyClient reads claims only after the verifier checked the signature. */
function bearer(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `Bearer ${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

const identity = (customerId: string | null, channel: string | null): Identity => ({ subject: 's', scopes: [], customerId, channel });

describe('client classes', () => {
  it('derives the class from customer_id, then channel, else internal', () => {
    expect(classifyClient(identity('CUST-0001', null), bearer({}))).toBe('portal');
    expect(classifyClient(identity('CUST-0001', 'web'), bearer({}))).toBe('portal');
    expect(classifyClient(identity(null, 'edi'), bearer({}))).toBe('partner');
    expect(classifyClient(identity(null, null), bearer({}))).toBe('internal');
  });

  it('takes an explicit, known client_class claim first and ignores an unknown one', () => {
    expect(classifyClient(identity(null, null), bearer({ client_class: 'partner' }))).toBe('partner');
    expect(classifyClient(identity('CUST-0001', null), bearer({ client_class: 'internal' }))).toBe('internal');
    expect(classifyClient(identity(null, 'edi'), bearer({ client_class: 'superuser' }))).toBe('partner');
    expect(classifyClient(identity(null, null), 'Bearer not-a-jwt')).toBe('internal');
  });
});
