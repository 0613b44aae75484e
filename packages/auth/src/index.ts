export * from './identity';
export * from './token-verifier';
export * from './token-signer';
export * from './identity-header';
export type { VerifiedTokenCacheOptions } from './verified-token-cache';
