/**
 * The write flow every entity shares: create vs update, full vs sparse, SyncToken rules, no-op updates,
 * MetaData, delete and void. Entity modules only build and validate the object itself.
 */
import type { EntityName, QboObject } from '../contracts';
import { faults } from '../faults';
import { formatQboTime } from '../store/qbo-time';
import type { StoredRecord } from '../store/stored-record';
import { isHiddenFromBatch, type ApiContext } from './api-context';
import { isObject, rejectUnknownProperties, requireIdField, requireSyncToken } from './body-checks';
import { assertCompanyWritable, assertPeriodOpen } from './company-gates';

export type WriteOperation = 'update' | 'delete' | 'void';

export interface EntityService {
  entity: EntityName;
  /** Every property QBO's schema knows for the entity; anything else is 2010. */
  known: ReadonlySet<string>;
  /**
   * The complete stored object (without Id, SyncToken, MetaData) for an incoming body: for a full update
   * the body alone (omitted writable fields are dropped, defaults re-applied), for a sparse one the
   * previous object with the sent fields replaced.
   */
  build(ctx: ApiContext, incoming: QboObject, prev: StoredRecord | undefined): QboObject;
  /** Refuses an update or delete of a record in a state that forbids it (voided, deposited). */
  guardChange?(ctx: ApiContext, prev: StoredRecord, operation: WriteOperation): void;
  /** Side effects on other records (a payment lowers invoice balances). */
  afterWrite?(ctx: ApiContext, saved: QboObject, prev: QboObject | undefined): void;
  /** Present only where QBO deletes (transactions); name lists are made inactive instead. */
  afterDelete?(ctx: ApiContext, deleted: QboObject): void;
  /** The voided form of a record (amounts zeroed), where QBO voids. */
  voided?(ctx: ApiContext, record: StoredRecord): QboObject;
}

/** Fields the server owns: never taken from a request body. */
export const SYSTEM_FIELDS = new Set(['Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'status']);

export function withoutSystemFields(object: QboObject): QboObject {
  const copy: QboObject = {};
  for (const [k, v] of Object.entries(object)) if (!SYSTEM_FIELDS.has(k)) copy[k] = v;
  return copy;
}

export function saveEntity(ctx: ApiContext, service: EntityService, body: unknown): QboObject {
  if (!isObject(body)) throw faults.unparsableBody(service.entity);
  rejectUnknownProperties(service.entity, body, service.known);
  assertCompanyWritable(ctx);
  if (body['Id'] === undefined || body['Id'] === null) return create(ctx, service, body);
  return update(ctx, service, body);
}

function create(ctx: ApiContext, service: EntityService, body: QboObject): QboObject {
  const built = service.build(ctx, withoutSystemFields(body), undefined);
  assertPeriodOpen(ctx, service.entity, built);
  const now = formatQboTime(ctx.clock.now());
  const object: QboObject = {
    ...built,
    domain: 'QBO',
    sparse: false,
    Id: ctx.store.nextId(ctx.realmId, service.entity),
    SyncToken: '0',
    MetaData: { CreateTime: now, LastUpdatedTime: now },
  };
  ctx.store.put(ctx.realmId, service.entity, object);
  ctx.createdInBatch?.add(`${service.entity}:${String(object['Id'])}`);
  service.afterWrite?.(ctx, object, undefined);
  return structuredClone(object);
}

/** The current record for a write that names it, after the Id, existence, deletion and SyncToken checks. */
export function currentForWrite(ctx: ApiContext, service: EntityService, body: QboObject, operation: WriteOperation): StoredRecord {
  const id = requireIdField(body);
  const token = requireSyncToken(body);
  const record = ctx.store.get(ctx.realmId, service.entity, id);
  if (!record || isHiddenFromBatch(ctx, service.entity, id)) throw faults.objectNotFound(`Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.`);
  if (record.deleted) throw faults.deletedByAnotherUser();
  if (record.object['SyncToken'] !== token) throw faults.staleObject();
  service.guardChange?.(ctx, record, operation);
  return record;
}

/** The stored form of an applied change: same Id, SyncToken + 1, CreateTime kept, LastUpdatedTime now. */
function nextVersion(ctx: ApiContext, prev: StoredRecord, built: QboObject): QboObject {
  const prevMeta = isObject(prev.object['MetaData']) ? prev.object['MetaData'] : {};
  return {
    ...built,
    domain: 'QBO',
    sparse: false,
    Id: prev.id,
    SyncToken: String(Number(prev.object['SyncToken']) + 1),
    MetaData: { ...prevMeta, LastUpdatedTime: formatQboTime(ctx.clock.now()) },
  };
}

function update(ctx: ApiContext, service: EntityService, body: QboObject): QboObject {
  const prev = currentForWrite(ctx, service, body, 'update');
  const sent = withoutSystemFields(body);
  const incoming = isSparse(body) ? { ...withoutSystemFields(prev.object), ...sent } : sent;
  const built = service.build(ctx, incoming, prev);
  assertPeriodOpen(ctx, service.entity, built, prev.object);
  if (sameContent(built, withoutSystemFields(prev.object))) return structuredClone(prev.object);
  const object = nextVersion(ctx, prev, built);
  const before = structuredClone(prev.object);
  ctx.store.put(ctx.realmId, service.entity, object);
  service.afterWrite?.(ctx, object, before);
  return structuredClone(object);
}

export function deleteEntity(ctx: ApiContext, service: EntityService, body: unknown): QboObject {
  if (!service.afterDelete) throw faults.operationNotSupported('Delete');
  if (!isObject(body)) throw faults.unparsableBody(service.entity);
  rejectUnknownProperties(service.entity, body, service.known);
  assertCompanyWritable(ctx);
  const record = currentForWrite(ctx, service, body, 'delete');
  assertPeriodOpen(ctx, service.entity, record.object);
  ctx.store.markDeleted(ctx.realmId, service.entity, record.id);
  service.afterDelete(ctx, record.object);
  return { domain: 'QBO', status: 'Deleted', Id: record.id };
}

export function voidEntity(ctx: ApiContext, service: EntityService, body: unknown): QboObject {
  if (!service.voided) throw faults.operationNotSupported('Void');
  if (!isObject(body)) throw faults.unparsableBody(service.entity);
  rejectUnknownProperties(service.entity, body, service.known);
  assertCompanyWritable(ctx);
  const record = currentForWrite(ctx, service, body, 'void');
  assertPeriodOpen(ctx, service.entity, record.object);
  const built = service.voided(ctx, record);
  const object = nextVersion(ctx, record, built);
  const before = structuredClone(record.object);
  ctx.store.put(ctx.realmId, service.entity, object);
  ctx.store.markVoided(ctx.realmId, service.entity, record.id);
  service.afterWrite?.(ctx, object, before);
  return structuredClone(object);
}

/** QBO's deserializer takes `sparse` as a boolean or its text ("true"); anything else cannot be read (2010). */
function isSparse(body: QboObject): boolean {
  const sparse = body['sparse'];
  if (sparse === undefined || sparse === null || sparse === false || sparse === 'false') return false;
  if (sparse === true || sparse === 'true') return true;
  throw faults.unsupportedProperty('sparse', 'sparse');
}

function sameContent(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
