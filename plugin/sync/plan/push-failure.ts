/**
 * What to do after QBO refused an invoice, payment or item write (pure). The QBO client has already retried
 * what retrying can fix (throttling, 5xx, lost answers with the same requestid); this decides the record's
 * fate, so nothing is lost and nothing is retried forever:
 * - 'reread_and_retry': 5010 stale SyncToken, first time: read the object again and retry once.
 * - 'retry_next_run': the cause can go away by itself or by a fix in QBO (closed period 6200/6210,
 *   subscription 6190, an inactive customer 6250, an account of a wrong type 6430, the write's outcome still
 *   unknown): the record stays queued and is tried again on the next run.
 * - 'stop_until_edited': the data must change in Work (validation 2xxx, 6070, 6140, other business faults):
 *   logged, tried again only when the Work record changes.
 * - 'stop_for_good': the QBO object is gone or frozen (610 deleted/inactive, voided, 6540 deposited): logged
 *   once; later edits are not sent to it.
 */
import type { QboErrorKind } from '../../qbo/errors';

export type PushFailureAction = 'reread_and_retry' | 'retry_next_run' | 'stop_until_edited' | 'stop_for_good';

export interface PushFailure {
  kind: QboErrorKind;
  code: string;
  /** QBO's message (for "voided", which comes as a plain business fault). */
  message: string;
  outcomeUnknown: boolean;
}

const WAIT_CODES: ReadonlySet<string> = new Set(['6200', '6210', '6190', '6250', '6430']);
const GONE_CODES: ReadonlySet<string> = new Set(['610', '6540']);

/** `attempt` counts this record's stale retries in this run (0 for the first failure). */
export function decidePushFailure(failure: PushFailure, attempt: number): PushFailureAction {
  if (failure.outcomeUnknown) return 'retry_next_run';
  if (failure.kind === 'stale-object' || failure.code === '5010') return attempt === 0 ? 'reread_and_retry' : 'retry_next_run';
  if (failure.kind === 'not-found' || GONE_CODES.has(failure.code) || /voided/i.test(failure.message)) return 'stop_for_good';
  if (WAIT_CODES.has(failure.code)) return 'retry_next_run';
  if (['throttled', 'service', 'network', 'authentication', 'authorization', 'unexpected-response'].includes(failure.kind)) return 'retry_next_run';
  return 'stop_until_edited';
}
