import crypto from 'node:crypto';
import { QboUnexpectedResponseError, type QboError } from './errors';
import { parseItemFault } from './fault-parser';
import type { PreparedPostOptions, QboResponse, WriteOptions, WriteResponse } from './http-client';
import { toWireJson } from './wire-json';

/**
 * QuickBooks batch calls (POST /batch): at most 30 items per call (more gives fault 1040), and each call
 * counts against the 40 batch calls a minute (Intuit's batch documentation). Items run independently, may
 * complete in any order and may fail one by one inside an HTTP 200: results are matched by bId, never by
 * position, and each item's fault becomes its own typed error.
 */
export const MAX_BATCH_ITEMS = 30;
/** With a requestid on the call, QBO allows bIds of at most 10 characters. */
export const MAX_BATCH_ID_LENGTH = 10;

export type BatchOperation = 'create' | 'update' | 'delete';

export type BatchItemRequest =
  | { bId: string; operation: BatchOperation; entity: string; payload: Record<string, unknown> }
  | { bId: string; query: string };

export type BatchItemResult =
  | { bId: string; ok: true; /** "Customer", "Invoice", "QueryResponse"… */ entityName: string; body: unknown }
  | { bId: string; ok: false; error: QboError };

export interface BatchPoster {
  post(realmId: string, segments: readonly string[], body: unknown, options: WriteOptions): Promise<WriteResponse>;
  postPrepared(realmId: string, segments: readonly string[], wireBody: string, options: PreparedPostOptions): Promise<QboResponse>;
}

const BID = /^[A-Za-z0-9_-]+$/;
const ENTITY = /^[A-Z][A-Za-z]{0,63}$/;

export function validateBatchItems(items: readonly BatchItemRequest[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (!BID.test(item.bId) || item.bId.length > MAX_BATCH_ID_LENGTH) {
      throw new Error(`batch bId must be 1-${MAX_BATCH_ID_LENGTH} letters, digits, "_" or "-": ${JSON.stringify(item.bId)}`);
    }
    if (seen.has(item.bId)) throw new Error(`duplicate batch bId: ${item.bId}`);
    seen.add(item.bId);
    if ('entity' in item && !ENTITY.test(item.entity)) throw new Error(`unsafe batch entity name: ${JSON.stringify(item.entity)}`);
  }
}

export function chunk<T>(items: readonly T[], size: number = MAX_BATCH_ITEMS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function wireItem(item: BatchItemRequest): Record<string, unknown> {
  if ('query' in item) return { bId: item.bId, Query: item.query };
  return { bId: item.bId, operation: item.operation, [item.entity]: item.payload };
}

/**
 * The operation key of one chunk: the caller's key plus the chunk's position and a hash of its content,
 * so a re-run of the same batch reuses its requestids, and different content never replays another
 * batch's stored answer.
 */
export function chunkOperationKey(operationKey: string, index: number, wire: unknown): string {
  const digest = crypto.createHash('sha256').update(toWireJson(wire)).digest('hex').slice(0, 16);
  return `${operationKey}:batch${index}:${digest}`;
}

function itemsOf(body: Record<string, unknown>): unknown[] {
  const list = body['BatchItemResponse'];
  return Array.isArray(list) ? (list as unknown[]) : [];
}

function bIdOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const bId = (item as Record<string, unknown>)['bId'];
  return typeof bId === 'string' ? bId : null;
}

function resultOf(bId: string, item: unknown, intuitTid: string | null): BatchItemResult {
  const error = parseItemFault(item, intuitTid);
  if (error) return { bId, ok: false, error };
  const entries = Object.entries(item as Record<string, unknown>).filter(([key]) => key !== 'bId' && key !== 'operation');
  const first = entries[0];
  if (!first) {
    return { bId, ok: false, error: new QboUnexpectedResponseError({ code: 'EMPTY_BATCH_ITEM', message: `batch item ${bId} came back empty`, intuitTid, httpStatus: 200 }) };
  }
  return { bId, ok: true, entityName: first[0], body: first[1] };
}

/** One result per requested item, matched by bId; an item missing from the answer has an unknown outcome. */
export function readBatchAnswer(part: readonly { bId: string }[], response: Pick<QboResponse, 'body' | 'intuitTid' | 'status'>): BatchItemResult[] {
  const byBId = new Map<string, unknown>();
  for (const item of itemsOf(response.body)) {
    const bId = bIdOf(item);
    if (bId !== null) byBId.set(bId, item);
  }
  return part.map((request) => {
    const item = byBId.get(request.bId);
    if (item !== undefined) return resultOf(request.bId, item, response.intuitTid);
    return {
      bId: request.bId,
      ok: false,
      error: new QboUnexpectedResponseError({
        code: 'MISSING_BATCH_ITEM',
        message: `QuickBooks answered the batch without item ${request.bId}`,
        intuitTid: response.intuitTid,
        httpStatus: response.status,
        outcomeUnknown: true,
      }),
    };
  });
}

/**
 * Sends the items in chunks of at most 30 and returns one result per bId. A failed call (the whole POST)
 * rejects; failed items do not. An item missing from the answer is an error whose outcome is unknown.
 *
 * Not durable: a write re-formed after a lost answer would get a new requestid. Sync writes go through
 * DurableBatchWriter (durable-batch.ts). A batch of queries only (a lookup) is sent without a requestid,
 * so it always reads the current data instead of replaying an old answer.
 */
export async function runBatch(
  client: BatchPoster,
  realmId: string,
  items: readonly BatchItemRequest[],
  operationKey: string,
): Promise<Map<string, BatchItemResult>> {
  validateBatchItems(items);
  const results = new Map<string, BatchItemResult>();
  for (const [index, part] of chunk(items).entries()) {
    const wire = { BatchItemRequest: part.map(wireItem) };
    const response = part.every((item) => 'query' in item)
      ? await client.postPrepared(realmId, ['batch'], toWireJson(wire), { requestId: null, kind: 'batch' })
      : await client.post(realmId, ['batch'], wire, { operationKey: chunkOperationKey(operationKey, index, wire), kind: 'batch' });
    for (const result of readBatchAnswer(part, response)) results.set(result.bId, result);
  }
  return results;
}
