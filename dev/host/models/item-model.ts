import type { Knex } from 'knex';
import type { ItemPort, ListPage, PortCallOptions } from '../../../plugin/host/work-host';
import type { NewWorkItem, WorkItem } from '../../../plugin/host/work-records';
import { isRecordId, RecordNotFoundError } from './errors';

interface ItemRow {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  sku: string | null;
  kind: 'service' | 'product';
  unit_price: string | null;
  taxable: boolean;
  active: boolean;
  updated_at: Date;
}

function fromRow(row: ItemRow): WorkItem {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    name: row.name,
    description: row.description,
    sku: row.sku,
    kind: row.kind,
    unitPrice: row.unit_price,
    taxable: row.taxable,
    active: row.active,
    updatedAt: row.updated_at,
  };
}

function toRow(input: Partial<NewWorkItem>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (input.name !== undefined) row.name = input.name;
  if (input.description !== undefined) row.description = input.description;
  if (input.sku !== undefined) row.sku = input.sku;
  if (input.kind !== undefined) row.kind = input.kind;
  if (input.unitPrice !== undefined) row.unit_price = input.unitPrice;
  if (input.taxable !== undefined) row.taxable = input.taxable;
  if (input.active !== undefined) row.active = input.active;
  return row;
}

/** Work's products and services. Items are not synced, so they fire no lifecycle events. */
export class ItemModel implements ItemPort {
  /** items.unit_price is numeric(14, 4). */
  readonly unitPriceDecimals = 4;

  constructor(private readonly knex: Knex) {}

  async list(accountId: string, page: ListPage & PortCallOptions = {}): Promise<WorkItem[]> {
    const q = (page.trx ?? this.knex)<ItemRow>('items').where({ account_id: accountId }).orderBy('id');
    if (page.afterId !== undefined) q.where('id', '>', page.afterId);
    if (page.limit !== undefined) q.limit(page.limit);
    return (await q).map(fromRow);
  }

  async get(accountId: string, id: string, opts: PortCallOptions = {}): Promise<WorkItem | null> {
    if (!isRecordId(id)) return null;
    const row = await (opts.trx ?? this.knex)<ItemRow>('items').where({ account_id: accountId, id }).first();
    return row ? fromRow(row) : null;
  }

  /** Names are unique per account (a database constraint), so this finds at most one. */
  async findByName(accountId: string, name: string, opts: PortCallOptions = {}): Promise<WorkItem | null> {
    const row = await (opts.trx ?? this.knex)<ItemRow>('items').where({ account_id: accountId, name }).first();
    return row ? fromRow(row) : null;
  }

  async create(accountId: string, input: NewWorkItem, opts: PortCallOptions = {}): Promise<WorkItem> {
    const [row] = await (opts.trx ?? this.knex)<ItemRow>('items')
      .insert({ ...toRow(input), account_id: accountId })
      .returning('*');
    if (!row) throw new Error('item insert returned nothing');
    return fromRow(row);
  }

  async update(accountId: string, id: string, patch: Partial<NewWorkItem>, opts: PortCallOptions = {}): Promise<WorkItem> {
    if (!isRecordId(id)) throw new RecordNotFoundError('item', id);
    const [row] = await (opts.trx ?? this.knex)<ItemRow>('items')
      .where({ account_id: accountId, id })
      .update({ ...toRow(patch), updated_at: this.knex.fn.now() })
      .returning('*');
    if (!row) throw new RecordNotFoundError('item', id);
    return fromRow(row);
  }
}
