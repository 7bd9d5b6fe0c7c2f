import { QboError } from '../../qbo/errors';
import { ConnectionUnusableError } from '../../qbo/oauth/errors';
import { SYNC_REASONS, type SyncReasonCode } from '../../messages';

export interface FailureReason {
  reasonCode: SyncReasonCode;
  reason: string;
  faultCode: string | null;
  intuitTid: string | null;
  /** Whether a later run should try again on its own. */
  retryable: boolean;
  /** QBO's own message (already redacted by the client), for the log's details. */
  detail: string;
}

/**
 * A write layer stopped by a paused connection (grant revoked or expired, app disconnected) stops the run:
 * nothing more can be sent until an admin reconnects, so failing every record of it would only fill the log.
 * The batch stays open and is re-sent verbatim by the first run after the reconnect.
 */
export function stopIfConnectionUnusable(failure: Error | null | undefined): void {
  if (failure instanceof ConnectionUnusableError) throw failure;
}

/** A failure as the log explains it: a plain reason for the bookkeeper, QBO's code and intuit_tid beside it. */
export function failureReason(error: unknown): FailureReason {
  if (error instanceof QboError) {
    const base = { faultCode: error.code, intuitTid: error.intuitTid, detail: error.message };
    if (error.kind === 'throttled') return { ...base, reasonCode: 'qbo_throttled', reason: SYNC_REASONS.qbo_throttled, retryable: true };
    if (error.retryable || error.outcomeUnknown || error.kind === 'network' || error.kind === 'service') {
      return { ...base, reasonCode: 'qbo_unreachable', reason: SYNC_REASONS.qbo_unreachable, retryable: true };
    }
    if (error.kind === 'stale-object') return { ...base, reasonCode: 'stale_failed', reason: SYNC_REASONS.stale_failed, retryable: true };
    if (error.kind === 'authentication' || error.kind === 'authorization') {
      return { ...base, reasonCode: 'connection_paused', reason: SYNC_REASONS.connection_paused, retryable: true };
    }
    // A refusal: retrying the same content cannot help, but an edit in Work queues it again.
    return { ...base, reasonCode: 'qbo_refused', reason: `${SYNC_REASONS.qbo_refused} QuickBooks said: ${error.message}`, retryable: false };
  }
  // The grant was revoked or expired (or the admin disconnected): the connection, not the record, failed.
  if (error instanceof ConnectionUnusableError) return { reasonCode: 'connection_paused', reason: SYNC_REASONS.connection_paused, faultCode: null, intuitTid: null, retryable: true, detail: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { reasonCode: 'internal_error', reason: SYNC_REASONS.internal_error, faultCode: null, intuitTid: null, retryable: true, detail: message.slice(0, 500) };
}

const MINUTE_MS = 60_000;
const MAX_BACKOFF_MS = 24 * 60 * MINUTE_MS;

/** Back-off for a failed record: 1, 2, 4 … minutes after each attempt, at most a day. */
export function nextAttemptAt(now: Date, attempts: number): Date {
  const wait = Math.min(MAX_BACKOFF_MS, MINUTE_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
  return new Date(now.getTime() + wait);
}
