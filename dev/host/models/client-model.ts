import type { Knex } from 'knex';
import type { ClientPort, ListPage, PortCallOptions } from '../../../plugin/host/work-host';
import type { NewWorkClient, WorkClient } from '../../../plugin/host/work-records';
import type { LifecycleBus } from '../lifecycle-bus';
import { addressFromRow, addressToRow, type AddressColumns } from './address';
import { isRecordId, RecordNotFoundError } from './errors';
import { inTransaction } from './transaction';

interface ClientRow extends AddressColumns {
  id: string;
  account_id: string;
  company_name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
  active: boolean;
  updated_at: Date;
}

function fromRow(row: ClientRow): WorkClient {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    companyName: row.company_name,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    billingAddress: addressFromRow(row),
    notes: row.notes,
    active: row.active,
    updatedAt: row.updated_at,
  };
}

function toRow(input: Partial<NewWorkClient>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (input.companyName !== undefined) row.company_name = input.companyName;
  if (input.firstName !== undefined) row.first_name = input.firstName;
  if (input.lastName !== undefined) row.last_name = input.lastName;
  if (input.email !== undefined) row.email = input.email;
  if (input.phone !== undefined) row.phone = input.phone;
  if (input.notes !== undefined) row.notes = input.notes;
  if (input.active !== undefined) row.active = input.active;
  if (input.billingAddress !== undefined) Object.assign(row, addressToRow(input.billingAddress));
  return row;
}

/** Work's client model: every save fires its lifecycle event inside the saving transaction. */
export class ClientModel implements ClientPort {
  constructor(
    private readonly knex: Knex,
    private readonly bus: LifecycleBus,
  ) {}

  async list(accountId: string, page: ListPage & PortCallOptions = {}): Promise<WorkClient[]> {
    const q = (page.trx ?? this.knex)<ClientRow>('clients').where({ account_id: accountId }).orderBy('id');
    if (page.afterId !== undefined) q.where('id', '>', page.afterId);
    if (page.limit !== undefined) q.limit(page.limit);
    return (await q).map(fromRow);
  }

  async get(accountId: string, id: string, opts: PortCallOptions = {}): Promise<WorkClient | null> {
    if (!isRecordId(id)) return null;
    const row = await (opts.trx ?? this.knex)<ClientRow>('clients').where({ account_id: accountId, id }).first();
    return row ? fromRow(row) : null;
  }

  async create(accountId: string, input: NewWorkClient, opts: PortCallOptions = {}): Promise<WorkClient> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      const [row] = await trx<ClientRow>('clients')
        .insert({ ...toRow(input), account_id: accountId })
        .returning('*');
      if (!row) throw new Error('client insert returned nothing');
      const client = fromRow(row);
      await this.bus.emit({ entity: 'client', action: 'created', accountId, recordId: client.id, trx, occurredAt: new Date() });
      return client;
    });
  }

  async update(accountId: string, id: string, patch: Partial<NewWorkClient>, opts: PortCallOptions = {}): Promise<WorkClient> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('client', id);
      const [row] = await trx<ClientRow>('clients')
        .where({ account_id: accountId, id })
        .update({ ...toRow(patch), updated_at: trx.fn.now() })
        .returning('*');
      if (!row) throw new RecordNotFoundError('client', id);
      const client = fromRow(row);
      await this.bus.emit({ entity: 'client', action: 'updated', accountId, recordId: client.id, trx, occurredAt: new Date() });
      return client;
    });
  }

  async delete(accountId: string, id: string, opts: PortCallOptions = {}): Promise<void> {
    await inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('client', id);
      const n = await trx('clients').where({ account_id: accountId, id }).delete();
      if (n === 0) throw new RecordNotFoundError('client', id);
      await this.bus.emit({ entity: 'client', action: 'deleted', accountId, recordId: id, trx, occurredAt: new Date() });
    });
  }
}
