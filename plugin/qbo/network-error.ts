import { isAxiosError } from 'axios';
import { QboNetworkError } from './errors';

/** Failures where the request never left: QBO cannot have applied it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'ERR_BAD_OPTION_VALUE']);

/**
 * An axios failure without an HTTP answer, as a QboNetworkError. The axios error itself is not kept as the
 * cause: it holds the request config, Authorization header included, and would leak the token into logs.
 */
export function networkErrorFrom(error: unknown): QboNetworkError | null {
  if (!isAxiosError(error) || error.response !== undefined) return null;
  const code = error.code ?? 'ERR_NETWORK';
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  return new QboNetworkError({
    code,
    message: timedOut ? 'QuickBooks did not answer in time' : `the connection to QuickBooks failed (${code})`,
    outcomeUnknown: !NEVER_SENT.has(code),
  });
}
