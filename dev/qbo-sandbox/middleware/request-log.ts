/**
 * The log of API requests the control API serves: who called what, how it ended, which fault. It never
 * holds headers or bodies, so no token or secret can end up in it.
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { SandboxClock } from '../clock';
import { fullPath, isBatchCall, realmOf, singleQueryParam } from './api-request';
import { interceptResponse } from './intercept-response';
import { notesOf } from './response-notes';

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  realmId: string;
  /** null when the connection was dropped and nothing was answered. */
  status: number | null;
  faultCode: string | null;
  injectedFault: string | null;
  requestid: string | null;
  batchSize: number | null;
  durationMs: number;
  /**
   * The realm's API requests open when this one arrived, itself included (a read-only concurrency gauge:
   * the highest value in the log is the realm's peak concurrency, refused requests counted too).
   */
  inFlightAtStart: number;
}

export interface RequestLogFilter {
  realmId?: string;
  method?: string;
  status?: number;
  pathContains?: string;
  requestid?: string;
  faultCode?: string;
  sinceSeq?: number;
}

/**
 * Running totals per realm, kept beside the entries so they stay right after old entries are dropped
 * (a benchmark of 100,000 calls keeps only the newest 50,000 entries). Reset by clear().
 */
export interface RequestCounts {
  /** API requests that ended (answered, refused or dropped). */
  calls: number;
  /** Of those, POSTs other than /query (creates, updates, deletes, batches). */
  writes: number;
  /** Answered 429. */
  throttled: number;
  /** The most of the realm's requests open at once, refused ones included. */
  peakConcurrency: number;
}

export const DEFAULT_RETAINED_ENTRIES = 50_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;
  private readonly open = new Map<string, number>();
  private counters = new Map<string, RequestCounts>();

  constructor(private readonly maxEntries = DEFAULT_RETAINED_ENTRIES) {}

  /** A request of the realm arrived; answers how many of its requests are open now, this one included. */
  enter(realmId: string): number {
    const now = (this.open.get(realmId) ?? 0) + 1;
    this.open.set(realmId, now);
    const counts = this.countsOf(realmId);
    counts.peakConcurrency = Math.max(counts.peakConcurrency, now);
    return now;
  }

  /** The running totals of one realm, or of every realm added up (peak: the highest of any realm). */
  counts(realmId?: string): RequestCounts {
    if (realmId !== undefined) return { ...(this.counters.get(realmId) ?? emptyCounts()) };
    const total = emptyCounts();
    for (const counts of this.counters.values()) {
      total.calls += counts.calls;
      total.writes += counts.writes;
      total.throttled += counts.throttled;
      total.peakConcurrency = Math.max(total.peakConcurrency, counts.peakConcurrency);
    }
    return total;
  }

  private countsOf(realmId: string): RequestCounts {
    let counts = this.counters.get(realmId);
    if (!counts) {
      counts = emptyCounts();
      this.counters.set(realmId, counts);
    }
    return counts;
  }

  /** A request of the realm is over (answered, refused or dropped). */
  leave(realmId: string): void {
    const left = (this.open.get(realmId) ?? 1) - 1;
    if (left <= 0) this.open.delete(realmId);
    else this.open.set(realmId, left);
  }

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    const counts = this.countsOf(entry.realmId);
    counts.calls += 1;
    if (entry.method === 'POST' && !/\/query\/?$/i.test(entry.path)) counts.writes += 1;
    if (entry.status === 429) counts.throttled += 1;
    this.entries.push({ seq: this.nextSeq++, ...entry });
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.realmId === undefined || entry.realmId === filter.realmId) &&
        (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || entry.status === filter.status) &&
        (filter.pathContains === undefined || entry.path.includes(filter.pathContains)) &&
        (filter.requestid === undefined || entry.requestid === filter.requestid) &&
        (filter.faultCode === undefined || entry.faultCode === filter.faultCode) &&
        (filter.sinceSeq === undefined || entry.seq > filter.sinceSeq),
    );
  }

  clear(): void {
    this.entries = [];
    this.counters = new Map();
  }
}

function emptyCounts(): RequestCounts {
  return { calls: 0, writes: 0, throttled: 0, peakConcurrency: 0 };
}

const upperCaseFault = z.object({ Fault: z.object({ Error: z.array(z.object({ code: z.string() })).min(1) }) });
const lowerCaseFault = z.object({ fault: z.object({ error: z.array(z.object({ code: z.string() })).min(1) }) });

/** The first fault code in a QBO error body: JSON (either case) or XML. */
function faultCodeIn(contentType: string | null, body: Buffer): string | null {
  if (body.length === 0 || body.length > 1_000_000) return null;
  const text = body.toString('utf8');
  if (contentType?.includes('xml')) return /<Error code="([^"]+)"/.exec(text)?.[1] ?? null;
  if (!contentType?.includes('json')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const upper = upperCaseFault.safeParse(parsed);
  if (upper.success) return upper.data.Fault.Error[0]?.code ?? null;
  const lower = lowerCaseFault.safeParse(parsed);
  return lower.success ? (lower.data.fault.error[0]?.code ?? null) : null;
}

/** The API router may have parsed the body or kept it raw (a Buffer): read either. */
function parsedBody(req: Request): unknown {
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function batchSizeOf(req: Request): number | null {
  if (!isBatchCall(req)) return null;
  const body = parsedBody(req);
  if (typeof body !== 'object' || body === null) return null;
  const items: unknown = (body as Record<string, unknown>).BatchItemRequest;
  return Array.isArray(items) ? items.length : null;
}

export function requestLogger(deps: { log: RequestLog; clock: SandboxClock }): RequestHandler {
  return (req: Request, res: Response, next) => {
    const startedReal = Date.now();
    const at = deps.clock.now().toISOString();
    const realmId = realmOf(req);
    const inFlightAtStart = deps.log.enter(realmId);
    let bodyFaultCode: string | null = null;
    interceptResponse(res, 'observe', (finished) => {
      if (finished.status >= 400) bodyFaultCode = faultCodeIn(finished.contentType, finished.body);
    });
    res.on('close', () => {
      deps.log.leave(realmId);
      const notes = notesOf(res);
      const requestid = singleQueryParam(req, 'requestid');
      deps.log.add({
        at,
        method: req.method,
        path: fullPath(req),
        realmId,
        status: notes.dropped || !res.writableFinished ? null : res.statusCode,
        faultCode: notes.faultCode ?? bodyFaultCode,
        injectedFault: notes.injectedFault ?? null,
        requestid: typeof requestid === 'string' ? requestid : null,
        batchSize: batchSizeOf(req),
        durationMs: Date.now() - startedReal,
        inFlightAtStart,
      });
    });
    next();
  };
}
