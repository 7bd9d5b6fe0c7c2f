/**
 * The sandbox's in-memory QuickBooks: per realm, every object of every entity with its Id counter,
 * SyncToken, MetaData and change time. It knows nothing of HTTP or validation (see api/); it only keeps
 * state consistent and timestamps every change with the sandbox clock.
 */
import { randomInt } from 'node:crypto';
import type { SandboxClock } from '../clock';
import type { CompanyOptions, CompanySummary, EntityName, QboObject, SandboxStoreApi } from '../contracts';
import { seedDemoCustomers } from './demo-customers';
import { formatQboTime } from './qbo-time';
import { RecordIndexes, type IndexName } from './record-indexes';
import { seedCompany } from './seed-company';
import { idSequenceOf, type StoredRecord } from './stored-record';

interface RealmData {
  summary: CompanySummary;
  records: Map<EntityName, Map<string, StoredRecord>>;
  nextIds: Map<string, number>;
  indexes: RecordIndexes;
}

/** The id sequence of QBO's own invoice numbers (CustomTxnNumbers off, or AutoDocNumber). */
const DOC_NUMBER_SEQUENCE = 'InvoiceDocNumber';
/** Intuit's sandbox companies number their first invoice 1001. */
const FIRST_DOC_NUMBER = 1001;

/** Everything the store holds, as plain JSON (indexes are rebuilt from the records on restore). */
export interface StoreSnapshot {
  realms: Array<{ summary: CompanySummary; nextIds: Record<string, number>; records: StoredRecord[] }>;
}

export class SandboxStore implements SandboxStoreApi {
  private readonly realms = new Map<string, RealmData>();
  private changeListener: (() => void) | null = null;
  readonly clock: SandboxClock;

  constructor(deps: { clock: SandboxClock }) {
    this.clock = deps.clock;
  }

  /** Called after every change (a state file saves then, debounced). */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  snapshot(): StoreSnapshot {
    return {
      realms: [...this.realms.values()].map((realm) => ({
        summary: { ...realm.summary },
        nextIds: Object.fromEntries(realm.nextIds),
        records: [...realm.records.values()].flatMap((map) => [...map.values()]),
      })),
    };
  }

  /** Replaces everything with a snapshot's content; realms keep their ids and order. */
  restore(snapshot: StoreSnapshot): void {
    this.realms.clear();
    for (const saved of snapshot.realms) {
      const realm: RealmData = { summary: { ...saved.summary }, records: new Map(), nextIds: new Map(Object.entries(saved.nextIds)), indexes: new RecordIndexes() };
      for (const record of saved.records) {
        let map = realm.records.get(record.entity);
        if (!map) {
          map = new Map();
          realm.records.set(record.entity, map);
        }
        map.set(record.id, { ...record });
        realm.indexes.file(record.entity, record.id, record.object);
      }
      this.realms.set(saved.summary.realmId, realm);
    }
  }

  private changed(): void {
    this.changeListener?.();
  }

  createCompany(opts: CompanyOptions): CompanySummary {
    const realmId = opts.realmId ?? this.newRealmId();
    if (!/^\d+$/.test(realmId)) throw new Error(`realm id must be numeric, got "${realmId}"`);
    if (this.realms.has(realmId)) throw new Error(`realm ${realmId} already exists`);
    const summary: CompanySummary = {
      realmId,
      companyName: opts.companyName,
      country: opts.country,
      offeringSku: opts.offeringSku,
      customTxnNumbers: opts.customTxnNumbers,
    };
    this.realms.set(realmId, { summary, records: new Map(), nextIds: new Map(), indexes: new RecordIndexes() });
    seedCompany(this, summary, opts.seed !== false);
    if (opts.demoCustomers === true) seedDemoCustomers(this, summary);
    this.changed();
    return { ...summary };
  }

  listCompanies(): CompanySummary[] {
    return [...this.realms.values()].map((r) => ({ ...r.summary }));
  }

  getCompany(realmId: string): CompanySummary | null {
    const realm = this.realms.get(realmId);
    return realm ? { ...realm.summary } : null;
  }

  bulkLoad(realmId: string, entity: EntityName, objects: QboObject[]): QboObject[] {
    return objects.map((o) => {
      const copy = structuredClone(o);
      const id = typeof copy['Id'] === 'string' ? copy['Id'] : this.nextId(realmId, entity);
      this.bumpIdPast(realmId, entity, id);
      if (entity === 'Invoice') this.bumpDocNumberPast(realmId, copy['DocNumber']);
      copy['Id'] = id;
      if (typeof copy['SyncToken'] !== 'string') copy['SyncToken'] = '0';
      if (typeof copy['MetaData'] !== 'object' || copy['MetaData'] === null) {
        const now = formatQboTime(this.clock.now());
        copy['MetaData'] = { CreateTime: now, LastUpdatedTime: now };
      }
      const record = this.put(realmId, entity, copy);
      if (copy['status'] === 'Deleted') record.deleted = true;
      return structuredClone(record.object);
    });
  }

  all(realmId: string, entity: EntityName): QboObject[] {
    return this.records(realmId, entity).map((r) => {
      const copy = structuredClone(r.object);
      if (r.deleted) copy['status'] = 'Deleted';
      return copy;
    });
  }

  // ---- used by the API half ----

  hasRealm(realmId: string): boolean {
    return this.realms.has(realmId);
  }

  /** Every record of an entity, deleted ones included, in Id order. */
  records(realmId: string, entity: EntityName): StoredRecord[] {
    const map = this.realm(realmId).records.get(entity);
    if (!map) return [];
    return [...map.values()].sort((a, b) => compareIds(a.id, b.id));
  }

  get(realmId: string, entity: EntityName, id: string): StoredRecord | undefined {
    return this.realm(realmId).records.get(entity)?.get(id);
  }

  nextId(realmId: string, entity: EntityName): string {
    return this.nextInSequence(realmId, idSequenceOf(entity));
  }

  /** Next number of a named id sequence (entity groups, or e.g. "PhysicalAddress"). */
  nextInSequence(realmId: string, sequence: string, first = 1): string {
    const realm = this.realm(realmId);
    const next = realm.nextIds.get(sequence) ?? first;
    realm.nextIds.set(sequence, next + 1);
    this.changed();
    return String(next);
  }

  /**
   * QBO's own next invoice number for the company ("1001", "1002", …). Numbers a client sends do not move
   * it (Intuit: a sent DocNumber "does not alter the internal system DocNumber"); bulk-loaded ones do, as
   * they stand for invoices the company already had.
   */
  nextDocNumber(realmId: string): string {
    return this.nextInSequence(realmId, DOC_NUMBER_SEQUENCE, FIRST_DOC_NUMBER);
  }

  /** The records filed under one key of an index (see record-indexes.ts), deleted ones included, in Id order. */
  indexed(realmId: string, index: IndexName, key: string): StoredRecord[] {
    const realm = this.realm(realmId);
    const found: StoredRecord[] = [];
    for (const { entity, id } of realm.indexes.holders(index, key)) {
      const record = realm.records.get(entity)?.get(id);
      if (record) found.push(record);
    }
    return found.sort((a, b) => compareIds(a.id, b.id) || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
  }

  /** Stores (or replaces) an object and stamps the change time; the caller has set Id, SyncToken and MetaData. */
  put(realmId: string, entity: EntityName, object: QboObject): StoredRecord {
    const realm = this.realm(realmId);
    const id = object['Id'];
    if (typeof id !== 'string') throw new Error('stored objects need a string Id');
    let map = realm.records.get(entity);
    if (!map) {
      map = new Map();
      realm.records.set(entity, map);
    }
    const existing = map.get(id);
    if (existing) realm.indexes.unfile(entity, id, existing.object);
    realm.indexes.file(entity, id, object);
    const record: StoredRecord = {
      entity,
      id,
      object,
      deleted: existing?.deleted ?? false,
      voided: existing?.voided ?? false,
      deposited: existing?.deposited ?? false,
      changedAtMs: this.clock.nowMs(),
    };
    map.set(id, record);
    this.changed();
    return record;
  }

  /**
   * Changes computed fields (a customer's Balance) without it counting as an edit: no new change time,
   * so CDC does not report it. The caller leaves SyncToken and MetaData alone.
   */
  patchComputed(realmId: string, entity: EntityName, id: string, patch: QboObject): void {
    const record = this.get(realmId, entity, id);
    if (!record) throw new Error(`${entity} ${id} does not exist`);
    const indexes = this.realm(realmId).indexes;
    indexes.unfile(entity, id, record.object);
    record.object = { ...record.object, ...patch };
    indexes.file(entity, id, record.object);
    this.changed();
  }

  markDeleted(realmId: string, entity: EntityName, id: string): void {
    const record = this.get(realmId, entity, id);
    if (!record) throw new Error(`${entity} ${id} does not exist`);
    record.deleted = true;
    record.changedAtMs = this.clock.nowMs();
    this.changed();
  }

  markVoided(realmId: string, entity: EntityName, id: string): void {
    const record = this.get(realmId, entity, id);
    if (!record) throw new Error(`${entity} ${id} does not exist`);
    record.voided = true;
    this.changed();
  }

  /** Stands in for a bank deposit made in QuickBooks: the payment can no longer change (6540). */
  markDeposited(realmId: string, paymentId: string): void {
    const record = this.get(realmId, 'Payment', paymentId);
    if (!record) throw new Error(`Payment ${paymentId} does not exist`);
    record.deposited = true;
    this.changed();
  }

  private realm(realmId: string): RealmData {
    const realm = this.realms.get(realmId);
    if (!realm) throw new Error(`unknown realm ${realmId}`);
    return realm;
  }

  private bumpIdPast(realmId: string, entity: EntityName, id: string): void {
    if (!/^\d+$/.test(id)) return;
    const realm = this.realm(realmId);
    const sequence = idSequenceOf(entity);
    const next = realm.nextIds.get(sequence) ?? 1;
    if (Number(id) >= next) realm.nextIds.set(sequence, Number(id) + 1);
  }

  private bumpDocNumberPast(realmId: string, docNumber: unknown): void {
    if (typeof docNumber !== 'string' || !/^\d{1,15}$/.test(docNumber)) return;
    const realm = this.realm(realmId);
    const next = realm.nextIds.get(DOC_NUMBER_SEQUENCE) ?? FIRST_DOC_NUMBER;
    if (Number(docNumber) >= next) realm.nextIds.set(DOC_NUMBER_SEQUENCE, Number(docNumber) + 1);
  }

  private newRealmId(): string {
    let id: string;
    do id = `9130${randomInt(100_000_000, 999_999_999)}${randomInt(1000, 9999)}`;
    while (this.realms.has(id));
    return id;
  }
}

/** Numeric ids in numeric order, anything else (TAX, NON) after them by text. */
export function compareIds(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
