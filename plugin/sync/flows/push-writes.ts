import { chunk } from '../../qbo/batch';
import { QboError, QboUnexpectedResponseError } from '../../qbo/errors';
import type { DurableBatchWrite } from '../../qbo/durable-batch';
import type { EngineDeps } from '../engine/engine-deps';
import { stopIfConnectionUnusable } from '../engine/fault-reasons';
import type { RunContext } from '../engine/run-lifecycle';

export type PushEntity = 'Item' | 'Invoice' | 'Payment';

export interface PushWrite {
  /** "item:<key>", "invoice:<work id>", "payment:<work id>": one unresolved write per record. */
  subject: string;
  operation: 'create' | 'update';
  payload: Record<string, unknown>;
}

/** QuickBooks' answer for one record: the object it stored, or why not (the write's outcome may be unknown). */
export type PushWriteResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: Error };

export const pushSubject = (kind: 'item' | 'invoice' | 'payment', id: string): string => `${kind}:${id}`;

/**
 * One dependency layer's writes through the durable batch writer: chunks of ≤ 30, each committed (members,
 * exact body, requestid) before it is sent, so a lost answer or a killed process never writes twice. Subjects
 * left without an answer come back as failures with the error that stopped the batch (outcome unknown: their
 * batch stays open and is re-sent verbatim first thing next time).
 */
export async function writeLayer(deps: EngineDeps, ctx: RunContext, entity: PushEntity, writes: readonly PushWrite[]): Promise<Map<string, PushWriteResult>> {
  const results = new Map<string, PushWriteResult>();
  if (writes.length === 0) return results;
  const items: DurableBatchWrite[] = writes.map((w, i) => ({ bId: i.toString(36), operation: w.operation, entity, payload: w.payload, subject: w.subject }));
  const outcome = await deps.writer.send(ctx.realmId, ctx.accountId, items, entity.toLowerCase());
  stopIfConnectionUnusable(outcome.failure);
  const wanted = new Set(writes.map((w) => w.subject));
  for (const r of outcome.results) {
    if (!wanted.has(r.subject)) continue;
    if (!r.result.ok) results.set(r.subject, { ok: false, error: r.result.error });
    else if (typeof r.result.body === 'object' && r.result.body !== null) results.set(r.subject, { ok: true, body: r.result.body as Record<string, unknown> });
    else results.set(r.subject, { ok: false, error: new QboUnexpectedResponseError({ code: 'SCHEMA_MISMATCH_AFTER_WRITE', message: 'QuickBooks applied the write but its answer had no object', outcomeUnknown: true }) });
  }
  const stopped = outcome.failure ?? new QboUnexpectedResponseError({ code: 'NO_ANSWER', message: 'QuickBooks gave no answer for this record', outcomeUnknown: true });
  for (const subject of wanted) if (!results.has(subject)) results.set(subject, { ok: false, error: stopped });
  return results;
}

/**
 * A layer's writes chunk by chunk (≤ 30 a call), one send at a time (the writer re-sends any open batch first,
 * so sends never overlap), while the answers of the previous chunk are stored: the database work of chunk k
 * runs during the call (and the rate limiter's wait) of chunk k + 1. A send whose outcome is unknown stops the
 * layer: its chunk stays open for the next run and the later chunks are answered with that error (they wait).
 */
export async function writeChunked<T>(
  deps: EngineDeps,
  ctx: RunContext,
  entity: PushEntity,
  plans: readonly T[],
  writeOf: (plan: T) => PushWrite,
  handle: (chunk: readonly T[], results: ReadonlyMap<string, PushWriteResult>) => Promise<void>,
): Promise<void> {
  let handling: Promise<void> = Promise.resolve();
  let handlerError: unknown = null;
  let stopped: Error | null = null;
  try {
    for (const part of chunk(plans)) {
      let results: Map<string, PushWriteResult>;
      if (stopped) {
        const error = stopped;
        results = new Map(part.map((p) => [writeOf(p).subject, { ok: false as const, error }]));
      } else {
        results = await writeLayer(deps, ctx, entity, part.map(writeOf));
        stopped = unknownOutcome(results);
      }
      await handling;
      if (handlerError !== null) throw handlerError;
      handling = handle(part, results).catch((error: unknown) => {
        handlerError = error;
      });
    }
  } finally {
    // Never leave a handler running behind the caller (it holds database work).
    await handling;
  }
  if (handlerError !== null) throw handlerError;
}

/** The error of a chunk whose every write is unanswered with an unknown outcome (the call itself failed). */
function unknownOutcome(results: ReadonlyMap<string, PushWriteResult>): Error | null {
  const errors = [...results.values()].map((r) => (r.ok ? null : r.error));
  const first = errors[0];
  if (!first || !errors.every((e) => e === first)) return null;
  return first instanceof QboError && (first.outcomeUnknown || first.retryable) ? first : null;
}
