import { setMaxListeners } from 'node:events';
import axios, { type AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { WriteIntentRow, WriteIntentStore } from '../persistence/write-intent-repository';
import type { AccessTokenProvider } from './access-token-provider';
import { QboClientClosedError, systemClock, unlessClosed, type Clock } from './clock';
import { DEFAULT_REQUEST_TIMEOUT_MS, QBO_MINOR_VERSION, companyPath } from './endpoints';
import { QboError, QboUnexpectedResponseError } from './errors';
import { headerValue, parseFault, parseJsonText, type ResponseHeaders } from './fault-parser';
import { networkErrorFrom } from './network-error';
import type { QboRateLimiter, RequestKind } from './rate-limiter';
import { decideRetry, MAX_ATTEMPTS } from './retry-policy';
import { toWireJson } from './wire-json';
import { EarlierWriteResolvedError } from './write-errors';

export interface QboHttpClientDeps {
  tokens: AccessTokenProvider;
  writeIntents: WriteIntentStore;
  limiter: QboRateLimiter;
  logger: Logger;
  /** API base, e.g. https://quickbooks.api.intuit.com (see endpoints.ts). */
  apiBaseUrl: string;
  /** Per-send timeout; QBO calls may take 120 s. */
  timeoutMs?: number;
  /** Waits between retries; injectable so tests do not wait 60 s. */
  clock?: Clock;
  /** Jitter source for the retry policy. */
  random?: () => number;
  maxAttempts?: number;
}

export type QueryParams = Readonly<Record<string, string>>;

export interface QboResponse {
  status: number;
  /** The JSON object QBO answered, already checked for faults. */
  body: Record<string, unknown>;
  intuitTid: string | null;
  /** Sends it took, the successful one included. */
  attempts: number;
}

export interface WriteOptions {
  /**
   * Names the write so its requestid survives retries and restarts, e.g. "invoice:create:<work id>:<version>".
   * Two different writes must never share a key; the same write must always use the same one.
   */
  operationKey: string;
  /**
   * The caller's record (e.g. "invoice:7"). With it, one write per record is unresolved at a time: before
   * this write is sent, an earlier write of the record whose outcome is unknown is re-sent verbatim.
   */
  subject?: string;
  query?: QueryParams;
  /** "batch" counts against the 40 batch calls a minute as well. */
  kind?: RequestKind;
}

export interface WriteResponse extends QboResponse {
  requestId: string;
}

/** A write's name: an operation key, or a key plus the record it writes (see WriteOptions.subject). */
export type WriteKey = string | { key: string; subject: string };

export function writeKeyOptions(writeKey: WriteKey): Pick<WriteOptions, 'operationKey' | 'subject'> {
  return typeof writeKey === 'string' ? { operationKey: writeKey } : { operationKey: writeKey.key, subject: writeKey.subject };
}

/** One open write re-sent by resendOpenWrites: its answer, or why it is still (or now definitely) not done. */
export type ResentWrite =
  | { operationKey: string; subject: string | null; ok: true; response: WriteResponse }
  | { operationKey: string; subject: string | null; ok: false; error: unknown };

/** A POST whose body the caller already serialised and whose requestid it owns (see durable-batch.ts). */
export interface PreparedPostOptions {
  /** Sent as requestid; null for a POST that only reads (a batch of queries): it must never replay. */
  requestId: string | null;
  query?: QueryParams;
  kind?: RequestKind;
}

interface SendRequest {
  method: 'GET' | 'POST';
  realmId: string;
  segments: readonly string[];
  query: QueryParams;
  body?: unknown;
  /** The body already as wire text: sent byte for byte. */
  wireBody?: string;
  kind: RequestKind;
}

/** RFC 3986 encoding, as the recorded queries were sent (apostrophe as %27). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryString(params: QueryParams): string {
  return Object.entries(params)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
}

function plainHeaders(headers: unknown): ResponseHeaders {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one way the plugin talks to the QuickBooks Accounting API. Every send waits on the realm's limiter,
 * carries minorversion=75, Accept: application/json and the realm's Bearer token; every answer, 200s
 * included, goes through the fault parser; failures are retried as decideRetry says, with one token
 * refresh after a 401; every write carries a requestid committed before its first send and reused on
 * every retry, so a write whose answer was lost is never applied twice.
 */
export class QboHttpClient {
  private readonly http: AxiosInstance;
  private readonly clock: Clock;
  private readonly closing = new AbortController();

  constructor(private readonly deps: QboHttpClientDeps) {
    this.clock = deps.clock ?? systemClock;
    // One listener per waiting or running call: many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    this.http = axios.create({
      baseURL: deps.apiBaseUrl.replace(/\/+$/, ''),
      timeout: deps.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Every status comes back as a response: the fault parser, not axios, decides what failed.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
  }

  /**
   * Stop: every wait (limiter windows, 429 and 5xx back-offs) and every request in flight ends at once with
   * QboClientClosedError, and later calls are refused, so a stopping process can exit. A write cut off in
   * flight keeps its open intent (same requestid next run). Also closes the limiter.
   */
  close(): void {
    this.closing.abort();
    this.deps.limiter.close();
  }

  /** GET /v3/company/{realmId}/{segments…}. Reads carry no requestid: repeating them is harmless. */
  async get(realmId: string, segments: readonly string[], query: QueryParams = {}): Promise<QboResponse> {
    return this.send({ method: 'GET', realmId, segments, query, kind: 'single' });
  }

  /** Runs a query statement (see query.ts for building one safely). */
  async query(realmId: string, statement: string): Promise<QboResponse> {
    return this.get(realmId, ['query'], { query: statement });
  }

  /**
   * POST a write. The requestid for `operationKey` is committed with the body before the first send; the same
   * key with a different body is refused (WriteKeyReusedError) instead of being answered with the old reply.
   */
  async post(realmId: string, segments: readonly string[], body: unknown, options: WriteOptions): Promise<WriteResponse> {
    const wireBody = toWireJson(body);
    const query: Record<string, string> = { ...options.query };
    const kind = options.kind ?? 'single';
    if (options.subject !== undefined) await this.resolveEarlierWrite(realmId, options.subject, options.operationKey);
    const requestId = await this.deps.writeIntents.requestIdFor(realmId, options.operationKey, { subject: options.subject ?? null, segments, query, body: wireBody, kind });
    return this.sendIntent(realmId, options.operationKey, segments, query, wireBody, kind, requestId);
  }

  /**
   * Re-send, verbatim and under their own requestids, the realm's writes whose outcome is unknown (after a
   * restart, or before a sync run): QuickBooks answers an applied one with its original response.
   */
  async resendOpenWrites(realmId: string): Promise<ResentWrite[]> {
    const out: ResentWrite[] = [];
    for (const intent of await this.deps.writeIntents.listOpen(realmId)) {
      try {
        out.push({ operationKey: intent.op_key, subject: intent.subject, ok: true, response: await this.resendIntent(realmId, intent) });
      } catch (error) {
        out.push({ operationKey: intent.op_key, subject: intent.subject, ok: false, error });
      }
    }
    return out;
  }

  /** One unresolved write per record: resolve the record's open write (if any) before a different one. */
  private async resolveEarlierWrite(realmId: string, subject: string, operationKey: string): Promise<void> {
    const open = await this.deps.writeIntents.findOpenForSubject(realmId, subject);
    if (!open || open.op_key === operationKey || open.body === null) return;
    let response: WriteResponse;
    try {
      response = await this.resendIntent(realmId, open);
    } catch (error) {
      // Refused for good: nothing was applied, so the new write may go. Unknown again: it may not.
      if (error instanceof QboError && !error.retryable && !error.outcomeUnknown) return;
      throw error;
    }
    throw new EarlierWriteResolvedError(realmId, subject, open.op_key, response);
  }

  private async resendIntent(realmId: string, intent: WriteIntentRow): Promise<WriteResponse> {
    if (intent.body === null) throw new Error(`write intent ${intent.op_key} has no stored request to re-send`);
    return this.sendIntent(realmId, intent.op_key, intent.segments ?? [], intent.query ?? {}, intent.body, intent.kind ?? 'single', intent.request_id);
  }

  private async sendIntent(
    realmId: string,
    operationKey: string,
    segments: readonly string[],
    query: QueryParams,
    wireBody: string,
    kind: RequestKind,
    requestId: string,
  ): Promise<WriteResponse> {
    try {
      const response = await this.send({ method: 'POST', realmId, segments, query: { ...query, requestid: requestId }, wireBody, kind });
      await this.recordOutcome(realmId, operationKey, 'applied');
      return { ...response, requestId };
    } catch (error) {
      // Only a definitive refusal closes the intent; an unknown outcome keeps it for the next retry.
      if (error instanceof QboError && !error.retryable && !error.outcomeUnknown) {
        await this.recordOutcome(realmId, operationKey, 'rejected');
      }
      throw error;
    }
  }

  /**
   * POST an already serialised body under a requestid the caller committed itself (or none, for a read).
   * Retries as every call does; records nothing: the caller keeps its own bookkeeping.
   */
  async postPrepared(realmId: string, segments: readonly string[], wireBody: string, options: PreparedPostOptions): Promise<QboResponse> {
    const query: Record<string, string> = { ...options.query };
    if (options.requestId !== null) query['requestid'] = options.requestId;
    return this.send({ method: 'POST', realmId, segments, query, wireBody, kind: options.kind ?? 'single' });
  }

  private async recordOutcome(realmId: string, operationKey: string, outcome: 'applied' | 'rejected'): Promise<void> {
    try {
      await this.deps.writeIntents.markCompleted(realmId, operationKey, outcome);
    } catch (error) {
      // Bookkeeping only: the QuickBooks answer stands, and the open intent is harmless.
      this.deps.logger.warn({ realmId, operationKey, err: error instanceof Error ? error.message : String(error) }, 'could not record write outcome');
    }
  }

  private async send(request: SendRequest): Promise<QboResponse> {
    const path = companyPath(request.realmId, ...request.segments);
    const url = `${path}?${queryString({ ...request.query, minorversion: QBO_MINOR_VERSION })}`;
    const data = request.wireBody ?? (request.body === undefined ? undefined : toWireJson(request.body));
    const closed = this.closing.signal;
    if (closed.aborted) throw new QboClientClosedError();
    let token = await this.deps.tokens.getAccessToken(request.realmId);
    let tokenRefreshed = false;

    for (let attempt = 1; ; attempt += 1) {
      if (closed.aborted) throw new QboClientClosedError();
      let error: QboError;
      try {
        const response = await this.deps.limiter.run(request.realmId, request.kind, () =>
          this.http.request<string>({
            method: request.method,
            url,
            data,
            signal: closed,
            headers: {
              Accept: 'application/json',
              Authorization: `Bearer ${token}`,
              ...(data === undefined ? {} : { 'Content-Type': 'application/json' }),
            },
          }),
        );
        const headers = plainHeaders(response.headers);
        const text = typeof response.data === 'string' ? response.data : '';
        const json = parseJsonText(text);
        const fault = parseFault(response.status, headers, json === undefined ? text : json, { secrets: [token] });
        if (fault === null && isJsonObject(json)) {
          return { status: response.status, body: json, intuitTid: headerValue(headers, 'intuit_tid'), attempts: attempt };
        }
        // parseFault answers null only for a JSON object, so the second branch is a guard, not a path.
        error = fault ?? new QboUnexpectedResponseError({ code: 'NOT_AN_OBJECT', message: 'QuickBooks answered something other than a JSON object', httpStatus: response.status });
      } catch (thrown) {
        if (closed.aborted) throw new QboClientClosedError();
        const network = networkErrorFrom(thrown);
        if (!network) throw thrown;
        error = network;
      }

      const decision = decideRetry(error, attempt, {
        tokenRefreshed,
        ...(this.deps.random ? { random: this.deps.random } : {}),
        maxAttempts: this.deps.maxAttempts ?? MAX_ATTEMPTS,
      });
      this.deps.logger.warn(
        { realmId: request.realmId, method: request.method, path, attempt, ...error.toLogFields(), retry: decision.retry, retryReason: decision.reason, waitMs: decision.waitMs },
        'QuickBooks call failed',
      );
      if (!decision.retry) throw error;
      if (decision.reason === 'refresh-token') {
        token = await this.deps.tokens.refreshAfterRejection(request.realmId, token);
        tokenRefreshed = true;
        continue;
      }
      await unlessClosed(this.clock.sleep(decision.waitMs, closed), closed);
    }
  }
}
