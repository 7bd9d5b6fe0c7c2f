/**
 * POST /batch: at most 30 items, each run on its own; faults stay inside their item (HTTP 200). Results
 * come back in a deterministic order that is not the request order, so clients must match them by bId.
 */
import { createHash } from 'node:crypto';
import { faults, QboFault } from '../faults';
import type { ApiContext } from './api-context';
import { isObject } from './body-checks';
import { deleteEntity, saveEntity, voidEntity } from './entity-service';
import { serviceByEntityName } from './entity-registry';
import { executeQuery } from './query-handler';

export const MAX_BATCH_ITEMS = 30;
/** QBO-FACTS: bId at most 10 characters on batch calls. */
export const MAX_BID_LENGTH = 10;
const ITEM_CONTROL_KEYS = new Set(['bId', 'operation', 'optionsData']);

export function runBatch(ctx: ApiContext, body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw faults.unparsableBody('IntuitBatchRequest');
  const items = body['BatchItemRequest'];
  if (!Array.isArray(items) || items.length === 0) throw faults.requiredMissing('BatchItemRequest');
  if (items.length > MAX_BATCH_ITEMS) throw faults.batchTooBig(items.length);
  const seen = new Set<string>();
  const batchCtx: ApiContext = { ...ctx, createdInBatch: new Set() };
  const results = items.map((item) => {
    const bId = isObject(item) && typeof item['bId'] === 'string' ? item['bId'] : undefined;
    try {
      if (bId === undefined || bId === '') throw faults.requiredMissing('bId');
      if (bId.length > MAX_BID_LENGTH) throw faults.stringLength('bId', MAX_BID_LENGTH, bId.length);
      if (seen.has(bId)) throw faults.business(`Duplicate bId ${bId} in the batch request`, 'bId');
      seen.add(bId);
      return { ...runItem(batchCtx, item as Record<string, unknown>), bId };
    } catch (error) {
      const fault = error instanceof QboFault ? error : faults.business(String(error));
      return bId === undefined ? { Fault: fault.faultObject() } : { Fault: fault.faultObject(), bId };
    }
  });
  return { BatchItemResponse: inResponseOrder(results) };
}

function runItem(ctx: ApiContext, item: Record<string, unknown>): Record<string, unknown> {
  if (typeof item['Query'] === 'string') return { QueryResponse: executeQuery(ctx, item['Query']) };
  const entityKeys = Object.keys(item).filter((k) => !ITEM_CONTROL_KEYS.has(k));
  const entityName = entityKeys[0];
  if (entityKeys.length !== 1 || entityName === undefined) throw faults.requiredMissing('BatchItemRequest entity');
  const service = serviceByEntityName(entityName);
  if (!service) throw faults.operationNotSupported(`${String(item['operation'] ?? 'create')} ${entityName}`);
  const itemCtx: ApiContext = { ...ctx, include: new Set([...ctx.include, ...optionsData(item['optionsData'])]) };
  const operation = item['operation'];
  const payload = item[entityName];
  if (operation === 'create' || operation === 'update') {
    if (operation === 'create' && isObject(payload) && payload['Id'] !== undefined) throw faults.business('A create cannot carry an Id', 'Id');
    if (operation === 'update' && (!isObject(payload) || payload['Id'] === undefined)) throw faults.requiredMissing('Id');
    if (operation === 'update' && itemCtx.include.has('void') && entityName === 'Payment') return { [entityName]: voidEntity(itemCtx, service, payload) };
    return { [entityName]: saveEntity(itemCtx, service, payload) };
  }
  if (operation === 'delete') return { [entityName]: deleteEntity(itemCtx, service, payload) };
  throw faults.invalidEnumeration('operation', String(operation));
}

function optionsData(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim().toLowerCase());
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((s) => s.toLowerCase());
  return [];
}

/** Ordered by a hash of bId: stable for the same request, unrelated to the request order. */
function inResponseOrder<T extends { bId?: string }>(results: T[]): T[] {
  const key = (r: T): string => createHash('sha1').update(r.bId ?? '').digest('hex');
  const ordered = [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  // Two or more items never come back in request order.
  if (ordered.length > 1 && ordered.every((r, i) => r === results[i])) ordered.reverse();
  return ordered;
}
