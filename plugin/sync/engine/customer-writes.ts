import { QboUnexpectedResponseError } from '../../qbo/errors';
import { customerSchema, type QboCustomer } from '../../qbo/entities/customer';
import { parseEntity } from '../../qbo/entities/entity-api';
import type { DurableBatchItemResult, DurableBatchWrite } from '../../qbo/durable-batch';
import type { EngineDeps } from './engine-deps';
import { stopIfConnectionUnusable } from './fault-reasons';

export interface CustomerWrite {
  /** "client:<work id>" or "site:<work id>": one unresolved write per record. */
  subject: string;
  operation: 'create' | 'update';
  payload: Record<string, unknown>;
}

export type CustomerWriteResult = { ok: true; customer: QboCustomer; recovered: boolean } | { ok: false; error: Error; recovered: boolean };

export const subjectFor = (entity: 'client' | 'site', workId: string): string => `${entity}:${workId}`;

export function parseSubject(subject: string): { entity: 'client' | 'site'; workId: string } | null {
  const m = /^(client|site):(.+)$/.exec(subject);
  return m?.[1] && m[2] ? { entity: m[1] as 'client' | 'site', workId: m[2] } : null;
}

/** A batch item's answer as a customer; a body we cannot read was still applied (never "not written"). */
export function customerOf(result: DurableBatchItemResult): CustomerWriteResult {
  if (!result.result.ok) return { ok: false, error: result.result.error, recovered: result.recovered };
  try {
    return { ok: true, customer: parseEntity(customerSchema, result.result.body, 'Customer'), recovered: result.recovered };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), recovered: result.recovered };
  }
}

/**
 * Customer writes in durable batches of ≤ 30 (members, bodies and requestid committed before each send).
 * Returns one result per subject written now, and the results of batches an earlier run left open
 * (`recovered`) so the caller can store their mappings first. Subjects left without an answer come back
 * as failures with the error that stopped the batch (their batch stays open and is re-sent verbatim next).
 */
export async function writeCustomers(deps: EngineDeps, realmId: string, accountId: string, writes: readonly CustomerWrite[], lane: string): Promise<Map<string, CustomerWriteResult>> {
  const items: DurableBatchWrite[] = writes.map((w, i) => ({ bId: i.toString(36), operation: w.operation, entity: 'Customer', payload: w.payload, subject: w.subject }));
  const outcome = await deps.writer.send(realmId, accountId, items, lane);
  stopIfConnectionUnusable(outcome.failure);
  const results = new Map<string, CustomerWriteResult>();
  for (const r of outcome.results) results.set(r.subject, customerOf(r));
  const stopped = outcome.failure ?? new QboUnexpectedResponseError({ code: 'NO_ANSWER', message: 'QuickBooks gave no answer for this record', outcomeUnknown: true });
  for (const subject of outcome.pending) if (!results.has(subject)) results.set(subject, { ok: false, error: stopped, recovered: false });
  return results;
}
