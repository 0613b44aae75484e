import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/** The Crossdock gateway's entry, relative to the repository root. */
export const CROSSDOCK_GATEWAY_ENTRY = 'gateway/src/index.ts';

/** Every read scope of the hub, so no field of the benchmark is refused for want of one. */
const BENCH_SCOPES = 'orders:read inventory:read shipments:read customers:read pricing:read';

/** How to start the Crossdock gateway for one run and what to send it. */
export interface CrossdockLaunch {
  env: Record<string, string>;
  /** `Bearer <HS256 JWT>` valid for the whole run. */
  authorization: string;
}

/**
 * Fresh secrets per run (nothing to leak, nothing to configure) and a token signed with the
 * first one, as a partner's identity provider would issue it.
 */
export async function prepareCrossdockLaunch(supergraphPath: string, redisUrl: string): Promise<CrossdockLaunch> {
  const jwtSecret = randomBytes(32).toString('hex');
  const token = await new SignJWT({ scope: BENCH_SCOPES })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('crossdock-bench')
    .setIssuedAt()
    .setExpirationTime('4h')
    .sign(new TextEncoder().encode(jwtSecret));
  return {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      SUPERGRAPH_PATH: supergraphPath,
      HUB_JWT_SECRET: jwtSecret,
      HUB_SUBGRAPH_SECRET: randomBytes(32).toString('hex'),
      REDIS_URL: redisUrl,
    },
    authorization: `Bearer ${token}`,
  };
}
