/**
 * `npm run token -- --scope "orders:read inventory:read" [--customer ID] [--channel NAME] [--ttl 3600] [--sub NAME]`
 * prints a token signed with HUB_JWT_SECRET, or with the all-in-one dev key when that is unset.
 */
import { parseArgs } from 'node:util';
import { SCOPES } from './identity';
import { DEV_JWT_SECRET, signDevToken } from './token-signer';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', default: 'orders:read inventory:read shipments:read customers:read pricing:read' },
      customer: { type: 'string' },
      channel: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      sub: { type: 'string', default: 'dev-user' },
    },
  });
  const scopes = (values.scope ?? '').split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')}; known: ${SCOPES.join(' ')}`);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`--ttl must be a positive number of seconds, got ${values.ttl}`);
  const secret = process.env.HUB_JWT_SECRET ?? DEV_JWT_SECRET;
  if (!process.env.HUB_JWT_SECRET) console.error('HUB_JWT_SECRET is unset: signing with the all-in-one dev key');
  const token = await signDevToken({
    secret,
    subject: values.sub ?? 'dev-user',
    scopes,
    customerId: values.customer ?? null,
    channel: values.channel ?? null,
    ttlSeconds,
    issuer: process.env.HUB_JWT_ISSUER ?? null,
    audience: process.env.HUB_JWT_AUDIENCE ?? null,
  });
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
