/** A rate limit in store terms: a sustained `requests` per `windowMs`, bursts of up to `requests`. */
export interface RateLimitWindow {
  requests: number;
  windowMs: number;
}

/** One request's verdict. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Where rate-limit buckets live: Redis in production (every gateway replica shares them), an
 * in-process map in all-in-one. The port is one atomic call so both adapters can be held to one
 * contract suite. `nowMs` comes from the caller (gateway replicas' clocks are NTP-synchronised;
 * a skew of s ms shifts a bucket by at most s ms) so the suite can drive time itself.
 */
export interface RateLimitStore {
  /** Counts one request against `key`'s bucket, atomically, and says whether it may pass. */
  consume(key: string, window: RateLimitWindow, nowMs: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/**
 * Rounding slack when comparing times: the emission interval is windowMs / requests, so the
 * last request of a burst lands on the window's edge only up to floating-point error.
 */
const EPSILON_MS = 0.001;

/**
 * GCRA, the generic cell rate algorithm: a token bucket that stores one number per key, the
 * "theoretical arrival time" (TAT) at which the bucket would be full again. Each request moves it
 * one emission interval (windowMs / requests) later; a request is refused when that would put the
 * TAT more than one window ahead of now. So a client may burst `requests` at once and then gets
 * one more every interval (a sustained `requests` per window; a refused request costs nothing),
 * and the bucket expires by itself once it is full again. The Redis adapter runs the same steps
 * in Lua.
 */
export function gcra(storedTat: number | null, window: RateLimitWindow, nowMs: number): { tat: number } | { retryAfterMs: number } {
  const interval = window.windowMs / window.requests;
  const tat = Math.max(storedTat ?? nowMs, nowMs) + interval;
  const ahead = tat - nowMs;
  if (ahead > window.windowMs + EPSILON_MS) return { retryAfterMs: ahead - window.windowMs };
  return { tat };
}

/**
 * The Lua twin of gcra(): KEYS[1] holds the TAT; ARGV: now, interval, window (ms); expires when
 * full, and never in 0 ms, which SET refuses: at epoch-ms magnitudes a double resolves only about
 * 0.0002 ms, so an interval finer than that (a limit above ~4 million per second) leaves `ahead` 0.
 */
export const GCRA_LUA = /* Lua */ `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
tat = tat + interval
local ahead = tat - now
if ahead > window + ${EPSILON_MS} then
  return {0, tostring(ahead - window)}
end
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(ahead)))
return {1, '0'}
`;
