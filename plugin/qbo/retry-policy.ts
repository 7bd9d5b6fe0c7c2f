import { QboError } from './errors';

/**
 * Whether, why and how long to wait before sending a failed QuickBooks call again. Pure: the jitter source
 * comes in, so every branch is unit-tested without timers (the shape of Nango's proxy/retry.ts).
 */

/** Sends of one call in all, the first included. */
export const MAX_ATTEMPTS = 5;

/** Intuit suggests backing off about 60 s after a 429 (ThrottleExceeded, 3001); Retry-After is not guaranteed. */
export const THROTTLE_BACKOFF_MS = 60_000;
/** Up to this much is added to the throttle back-off so that parallel callers do not return together. */
export const THROTTLE_JITTER_MS = 10_000;

/** Exponential back-off for 5xx, 504 and network failures: 1 s, 2 s, 4 s… capped. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 30_000;

export type RetryReason =
  | 'throttled'
  | 'server-error'
  | 'network-error'
  | 'refresh-token'
  | 'auth-rejected-after-refresh'
  | 'not-retryable'
  | 'attempts-exhausted';

export interface RetryDecision {
  retry: boolean;
  reason: RetryReason;
  /** Milliseconds to wait before the next send (0 for a refresh, which needs no wait). */
  waitMs: number;
}

export interface RetryContext {
  /** Returns a number in [0, 1); Math.random in production. */
  random?: () => number;
  /** Whether this call has already refreshed its token once after a 401. */
  tokenRefreshed?: boolean;
  maxAttempts?: number;
}

/** Exponential back-off with "equal jitter": half fixed, half random, never above the cap. */
export function backoffMs(attempt: number, random: () => number): number {
  const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/**
 * @param error what the last send ended with (anything thrown is accepted; only QboErrors are retried)
 * @param attempt how many sends this call has made so far, the failed one included (1 after the first)
 */
export function decideRetry(error: unknown, attempt: number, context: RetryContext = {}): RetryDecision {
  const random = context.random ?? Math.random;
  const maxAttempts = context.maxAttempts ?? MAX_ATTEMPTS;
  const stop = (reason: RetryReason): RetryDecision => ({ retry: false, reason, waitMs: 0 });

  if (!(error instanceof QboError) || !error.retryable) return stop('not-retryable');
  if (attempt >= maxAttempts) return stop('attempts-exhausted');

  switch (error.kind) {
    case 'authentication':
      // Exactly one refresh and one retry: a second 401 means the connection needs the user.
      return context.tokenRefreshed ? stop('auth-rejected-after-refresh') : { retry: true, reason: 'refresh-token', waitMs: 0 };
    case 'throttled': {
      const base = Math.max(THROTTLE_BACKOFF_MS, error.retryAfterMs ?? 0);
      return { retry: true, reason: 'throttled', waitMs: Math.round(base + THROTTLE_JITTER_MS * random()) };
    }
    case 'service':
    case 'unexpected-response':
      return { retry: true, reason: 'server-error', waitMs: backoffMs(attempt, random) };
    case 'network':
      return { retry: true, reason: 'network-error', waitMs: backoffMs(attempt, random) };
    default:
      return stop('not-retryable');
  }
}
