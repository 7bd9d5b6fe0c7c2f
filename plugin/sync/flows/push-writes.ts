import { QboUnexpectedResponseError } from '../../qbo/errors';
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
