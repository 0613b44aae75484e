/**
 * What pino must never write (its `redact.paths`): credentials in headers and bodies, secrets,
 * and personal data of customers' contacts. The structured request line carries none of these
 * by construction; this list catches whatever a `logger.info({ ... })` elsewhere passes along.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["x-crossdock-identity"]',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.password',
  '*.secret',
  '*.subgraphSecret',
  '*.jwtSecret',
  '*.hs256Secret',
  '*.webhookSecret',
  'token',
  'password',
  'secret',
  '*.email',
  '*.phone',
  '*.contactName',
  '*.address',
  'email',
  'phone',
];
