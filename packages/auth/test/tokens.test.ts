import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthError, createTokenVerifier, identityVerifier, signDevToken, signIdentity, verifyIdentity } from '../src';

const SECRET = 'test-secret-0123456789abcdef';

describe('HS256 tokens', () => {
  const verify = createTokenVerifier({ hs256Secret: SECRET });

  it('turns claims into an identity', async () => {
    const token = await signDevToken({ secret: SECRET, subject: 'portal-1', scopes: ['orders:read', 'shipments:read'], customerId: 'CUST-0007' });
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({
      subject: 'portal-1',
      scopes: ['orders:read', 'shipments:read'],
      customerId: 'CUST-0007',
      channel: null,
    });
  });

  it('rejects missing, malformed, forged and expired tokens', async () => {
    await expect(verify(undefined)).rejects.toThrow(/missing Authorization/);
    await expect(verify('Basic abc')).rejects.toThrow(AuthError);
    await expect(verify('Bearer not-a-jwt')).rejects.toThrow(/not a JWT/);
    const forged = await signDevToken({ secret: 'another-secret-0123456789', subject: 'x', scopes: [] });
    await expect(verify(`Bearer ${forged}`)).rejects.toThrow(/signature is invalid/);
    const expired = await signDevToken({ secret: SECRET, subject: 'x', scopes: [], ttlSeconds: -120 });
    await expect(verify(`Bearer ${expired}`)).rejects.toThrow(/expired/);
  });

  it('refuses the "none" algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', exp: 9_999_999_999 })).toString('base64url');
    await expect(verify(`Bearer ${header}.${body}.`)).rejects.toThrow(/algorithm none is not accepted/);
  });

  it('checks issuer and audience when configured', async () => {
    const strict = createTokenVerifier({ hs256Secret: SECRET, issuer: 'https://idp.example', audience: 'crossdock' });
    const wrong = await signDevToken({ secret: SECRET, subject: 'x', scopes: [], issuer: 'https://evil.example', audience: 'crossdock' });
    await expect(strict(`Bearer ${wrong}`)).rejects.toThrow(/claim rejected/);
    const right = await signDevToken({ secret: SECRET, subject: 'x', scopes: [], issuer: 'https://idp.example', audience: 'crossdock' });
    await expect(strict(`Bearer ${right}`)).resolves.toMatchObject({ subject: 'x' });
  });
});

describe('JWKS tokens (RS256 from an identity provider)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies a token signed by the provider key and refuses an HS256 token when only JWKS is configured', async () => {
    const verify = createTokenVerifier({ jwksUrl });
    const token = await new SignJWT({ scope: 'orders:read', channel: 'web' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('store-web')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({ subject: 'store-web', scopes: ['orders:read'], customerId: null, channel: 'web' });
    const hmac = await signDevToken({ secret: SECRET, subject: 'x', scopes: [] });
    await expect(verify(`Bearer ${hmac}`)).rejects.toThrow(/HS256 is not accepted/);
  });
});

describe('signed identity header (gateway → subgraph)', () => {
  const identity = { subject: 'a', scopes: ['orders:read'], customerId: 'CUST-0001', channel: null };

  it('round-trips and refuses tampering, a wrong key and stale headers', () => {
    const header = signIdentity(identity, SECRET);
    expect(verifyIdentity(header, SECRET)).toEqual(identity);
    const [body, mac] = header.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...identity, customerId: 'CUST-0002', iat: Date.now() })).toString('base64url');
    expect(() => verifyIdentity(`${tampered}.${mac}`, SECRET)).toThrow(/signature is invalid/);
    expect(() => verifyIdentity(`${body}.${mac}`, 'wrong-secret-0123456789')).toThrow(/signature is invalid/);
    expect(() => verifyIdentity(undefined, SECRET)).toThrow(/missing/);
    const old = signIdentity(identity, SECRET, Date.now() - 10 * 60_000);
    expect(() => verifyIdentity(old, SECRET)).toThrow(/stale/);
  });

  it('remembers verified headers, yet refuses a remembered one once it is stale, and never remembers a forged one', () => {
    const verify = identityVerifier(SECRET, { capacity: 2 });
    const signedAt = Date.now();
    const header = signIdentity(identity, SECRET, signedAt);
    expect(verify(header, signedAt)).toEqual(identity);
    expect(verify(header, signedAt + 4 * 60_000)).toEqual(identity);
    expect(() => verify(header, signedAt + 5 * 60_000 + 1)).toThrow(/stale/);
    const [body] = header.split('.');
    const forged = `${body}.${Buffer.from('not the mac').toString('base64url')}`;
    expect(() => verify(forged, signedAt)).toThrow(/signature is invalid/);
    expect(() => verify(forged, signedAt)).toThrow(/signature is invalid/);
    expect(() => verify(undefined, signedAt)).toThrow(/missing/);
    // Bounded: other callers' headers push the oldest out; it is then verified afresh, and still valid.
    for (const subject of ['b', 'c', 'd']) verify(signIdentity({ ...identity, subject }, SECRET, signedAt), signedAt);
    expect(verify(header, signedAt)).toEqual(identity);
    expect(() => identityVerifier('another-secret-0123456789')(header, signedAt)).toThrow(/signature is invalid/);
  });
});
