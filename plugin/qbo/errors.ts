/**
 * Typed QuickBooks errors. Every failure of a QuickBooks call becomes one of these, carrying what the retry
 * policy, the sync log and a bookkeeper need: the QBO fault code and element, the intuit_tid to quote to
 * Intuit support, the HTTP status, whether retrying can help, and whether the write may have been applied.
 *
 * Messages are built from QBO's fault text only (scrubbed of token-like strings by the fault parser), never
 * from request options, so they can be logged and shown.
 */

export type QboErrorKind =
  | 'validation' // the request is wrong; fix the data (2xxx, 4xxx query faults, most 400s)
  | 'business' // QBO's business rules refused it (6xxx)
  | 'not-found' // 610: object not found or made inactive
  | 'stale-object' // 5010: SyncToken out of date
  | 'duplicate-name' // 6240: DisplayName already used by a customer, vendor or employee
  | 'authentication' // 401 / 32xx: the access token was rejected
  | 'authorization' // 403 / 3100: the user or app may not do this
  | 'throttled' // 429 / 3001
  | 'service' // 5xx, 10000 system faults, 504/6002
  | 'network' // no HTTP answer: reset, refused, timeout
  | 'unexpected-response'; // an answer that is neither a success nor a recognisable QBO fault

/** One entry of a QBO `Fault.Error[]`. */
export interface QboFaultEntry {
  code: string;
  element: string | null;
  message: string;
  detail: string | null;
}

export interface QboErrorInit {
  code: string;
  element?: string | null;
  message: string;
  detail?: string | null;
  intuitTid?: string | null;
  httpStatus?: number | null;
  faultType?: string | null;
  /** Every error of the fault; the first is the one named by code/element/message. */
  errors?: readonly QboFaultEntry[];
  /** Milliseconds from a Retry-After header, when QBO sent one. */
  retryAfterMs?: number | null;
  cause?: unknown;
}

export abstract class QboError extends Error {
  abstract readonly kind: QboErrorKind;
  /** Whether sending the same request again may succeed. */
  abstract readonly retryable: boolean;
  /**
   * True when QBO may or may not have applied the request (lost response, timeout, 504): a write must be
   * retried with the same requestid, never with a new one.
   */
  readonly outcomeUnknown: boolean = false;
  readonly code: string;
  readonly element: string | null;
  readonly detail: string | null;
  readonly intuitTid: string | null;
  readonly httpStatus: number | null;
  readonly faultType: string | null;
  readonly errors: readonly QboFaultEntry[];
  readonly retryAfterMs: number | null;

  constructor(init: QboErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.element = init.element ?? null;
    this.detail = init.detail ?? null;
    this.intuitTid = init.intuitTid ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.faultType = init.faultType ?? null;
    this.errors = init.errors ?? [
      { code: init.code, element: this.element, message: init.message, detail: this.detail },
    ];
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** Fields for a structured log line: no request, no headers, no token. */
  toLogFields(): Record<string, unknown> {
    return {
      kind: this.kind,
      code: this.code,
      element: this.element,
      httpStatus: this.httpStatus,
      intuitTid: this.intuitTid,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
      message: this.message,
    };
  }
}

export class QboValidationError extends QboError {
  readonly kind = 'validation';
  readonly retryable = false;
}

export class QboBusinessError extends QboError {
  readonly kind = 'business';
  readonly retryable = false;
}

export class QboNotFoundError extends QboError {
  readonly kind = 'not-found';
  readonly retryable = false;
}

export class QboStaleObjectError extends QboError {
  readonly kind = 'stale-object';
  // Resending the same SyncToken fails again: the caller must re-read first.
  readonly retryable = false;
}

export class QboDuplicateNameError extends QboError {
  readonly kind = 'duplicate-name';
  readonly retryable = false;
}

export class QboAuthenticationError extends QboError {
  readonly kind = 'authentication';
  // Retryable only after one token refresh; the retry policy enforces the "once".
  readonly retryable = true;
}

export class QboAuthorizationError extends QboError {
  readonly kind = 'authorization';
  readonly retryable = false;
}

export class QboThrottledError extends QboError {
  readonly kind = 'throttled';
  readonly retryable = true;
}

export class QboServiceError extends QboError {
  readonly kind = 'service';
  readonly retryable = true;
  override readonly outcomeUnknown: boolean;
  constructor(init: QboErrorInit & { outcomeUnknown?: boolean }) {
    super(init);
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

export class QboNetworkError extends QboError {
  readonly kind = 'network';
  readonly retryable = true;
  override readonly outcomeUnknown: boolean;
  /** True when the request reached QBO and no answer came back (reset, timeout); false when never sent. */
  constructor(init: QboErrorInit & { outcomeUnknown: boolean }) {
    super(init);
    this.outcomeUnknown = init.outcomeUnknown;
  }
}

export class QboUnexpectedResponseError extends QboError {
  readonly kind = 'unexpected-response';
  override readonly outcomeUnknown: boolean;
  readonly retryable: boolean;
  constructor(init: QboErrorInit & { retryable?: boolean; outcomeUnknown?: boolean }) {
    super(init);
    this.retryable = init.retryable ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

export function isQboError(value: unknown): value is QboError {
  return value instanceof QboError;
}
