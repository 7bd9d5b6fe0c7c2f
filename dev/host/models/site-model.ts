import type { Knex } from 'knex';
import type { ListPage, PortCallOptions, SitePort } from '../../../plugin/host/work-host';
import type { NewWorkSite, WorkSite } from '../../../plugin/host/work-records';
import type { LifecycleBus } from '../lifecycle-bus';
import { addressFromRow, addressToRow, type AddressColumns } from './address';
import { emitLifecycle } from './emit';
import { assertInAccount, isRecordId, RecordNotFoundError } from './errors';
import { inTransaction } from './transaction';

interface SiteRow extends AddressColumns {
  id: string;
  account_id: string;
  client_id: string;
  name: string;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
  updated_at: Date;
}

export type SiteInput = Omit<NewWorkSite, 'clientId'>;

function fromRow(row: SiteRow): WorkSite {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    clientId: String(row.client_id),
    name: row.name,
    contactName: row.contact_name,
    email: row.email,
    phone: row.phone,
    address: addressFromRow(row),
    active: row.active,
    updatedAt: row.updated_at,
  };
}

function toRow(input: Partial<SiteInput>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (input.name !== undefined) row.name = input.name;
  if (input.contactName !== undefined) row.contact_name = input.contactName;
  if (input.email !== undefined) row.email = input.email;
  if (input.phone !== undefined) row.phone = input.phone;
  if (input.active !== undefined) row.active = input.active;
  if (input.address !== undefined) Object.assign(row, addressToRow(input.address));
  return row;
}

/** Work's site model: a place where a client's work is done. Every save fires its lifecycle event. */
export class SiteModel implements SitePort {
  constructor(
    private readonly knex: Knex,
    private readonly bus: LifecycleBus,
  ) {}

  async list(accountId: string, page: ListPage & PortCallOptions & { clientId?: string } = {}): Promise<WorkSite[]> {
    const q = (page.trx ?? this.knex)<SiteRow>('sites').where({ account_id: accountId }).orderBy('id');
    if (page.clientId !== undefined) q.where({ client_id: page.clientId });
    if (page.afterId !== undefined) q.where('id', '>', page.afterId);
    if (page.limit !== undefined) q.limit(page.limit);
    return (await q).map(fromRow);
  }

  async get(accountId: string, id: string, opts: PortCallOptions = {}): Promise<WorkSite | null> {
    if (!isRecordId(id)) return null;
    const row = await (opts.trx ?? this.knex)<SiteRow>('sites').where({ account_id: accountId, id }).first();
    return row ? fromRow(row) : null;
  }

  async create(accountId: string, clientId: string, input: SiteInput, opts: PortCallOptions = {}): Promise<WorkSite> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      await assertInAccount(trx, 'clients', 'client', accountId, clientId);
      const [row] = await trx<SiteRow>('sites')
        .insert({ ...toRow(input), account_id: accountId, client_id: clientId })
        .returning('*');
      if (!row) throw new Error('site insert returned nothing');
      const site = fromRow(row);
      await emitLifecycle(this.bus, trx, 'site', 'created', accountId, site.id);
      return site;
    });
  }

  async update(accountId: string, id: string, patch: Partial<SiteInput>, opts: PortCallOptions = {}): Promise<WorkSite> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('site', id);
      const [row] = await trx<SiteRow>('sites')
        .where({ account_id: accountId, id })
        .update({ ...toRow(patch), updated_at: trx.fn.now() })
        .returning('*');
      if (!row) throw new RecordNotFoundError('site', id);
      const site = fromRow(row);
      await emitLifecycle(this.bus, trx, 'site', 'updated', accountId, site.id);
      return site;
    });
  }

  async delete(accountId: string, id: string, opts: PortCallOptions = {}): Promise<void> {
    await inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('site', id);
      const n = await trx('sites').where({ account_id: accountId, id }).delete();
      if (n === 0) throw new RecordNotFoundError('site', id);
      await emitLifecycle(this.bus, trx, 'site', 'deleted', accountId, id);
    });
  }
}
