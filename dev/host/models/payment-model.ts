import type { Knex } from 'knex';
import type { ListPage, PaymentPort, PortCallOptions } from '../../../plugin/host/work-host';
import type { WorkPayment } from '../../../plugin/host/work-records';
import type { LifecycleBus } from '../lifecycle-bus';
import { dateAsText } from './dates';
import { emitLifecycle } from './emit';
import { assertInAccount, isRecordId, RecordNotFoundError, ReferenceMismatchError } from './errors';
import { inTransaction } from './transaction';

interface PaymentRow {
  id: string;
  account_id: string;
  client_id: string;
  invoice_id: string | null;
  amount: string;
  paid_on: string;
  method: string | null;
  reference: string | null;
  created_at: Date;
  updated_at: Date;
}

export type PaymentInput = Omit<WorkPayment, 'id' | 'accountId' | 'createdAt' | 'updatedAt'>;

function fromRow(row: PaymentRow): WorkPayment {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    clientId: String(row.client_id),
    invoiceId: row.invoice_id === null ? null : String(row.invoice_id),
    amount: row.amount,
    paidOn: row.paid_on,
    method: row.method,
    reference: row.reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(input: PaymentInput): Record<string, unknown> {
  return {
    client_id: input.clientId,
    invoice_id: input.invoiceId,
    amount: input.amount,
    paid_on: input.paidOn,
    method: input.method,
    reference: input.reference,
  };
}

/** Work's payment model. Every save fires its lifecycle event inside the saving transaction. */
export class PaymentModel implements PaymentPort {
  constructor(
    private readonly knex: Knex,
    private readonly bus: LifecycleBus,
  ) {}

  private select(db: Knex | Knex.Transaction, accountId: string): Knex.QueryBuilder<PaymentRow, PaymentRow[]> {
    return db<PaymentRow>('payments')
      .select<PaymentRow[]>('id', 'account_id', 'client_id', 'invoice_id', 'amount', 'method', 'reference', 'created_at', 'updated_at', dateAsText(this.knex, 'paid_on'))
      .where({ account_id: accountId });
  }

  async list(accountId: string, page: ListPage & PortCallOptions & { clientId?: string } = {}): Promise<WorkPayment[]> {
    const q = this.select(page.trx ?? this.knex, accountId).orderBy('id');
    if (page.clientId !== undefined) q.where({ client_id: page.clientId });
    if (page.afterId !== undefined) q.where('id', '>', page.afterId);
    if (page.limit !== undefined) q.limit(page.limit);
    return (await q).map(fromRow);
  }

  async get(accountId: string, id: string, opts: PortCallOptions = {}): Promise<WorkPayment | null> {
    if (!isRecordId(id)) return null;
    const row = await this.select(opts.trx ?? this.knex, accountId).where({ id }).first();
    return row ? fromRow(row) : null;
  }

  async create(accountId: string, input: PaymentInput, opts: PortCallOptions = {}): Promise<WorkPayment> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      await this.assertReferences(trx, accountId, input);
      const [row] = await trx('payments').insert({ ...toRow(input), account_id: accountId }).returning('id');
      if (!row) throw new Error('payment insert returned nothing');
      const id = String(row.id);
      await emitLifecycle(this.bus, trx, 'payment', 'created', accountId, id);
      return this.mustGet(trx, accountId, id);
    });
  }

  async update(accountId: string, id: string, input: PaymentInput, opts: PortCallOptions = {}): Promise<WorkPayment> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('payment', id);
      await this.assertReferences(trx, accountId, input);
      const n = await trx('payments').where({ account_id: accountId, id }).update({ ...toRow(input), updated_at: trx.fn.now() });
      if (n === 0) throw new RecordNotFoundError('payment', id);
      await emitLifecycle(this.bus, trx, 'payment', 'updated', accountId, id);
      return this.mustGet(trx, accountId, id);
    });
  }

  async delete(accountId: string, id: string, opts: PortCallOptions = {}): Promise<void> {
    await inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('payment', id);
      const n = await trx('payments').where({ account_id: accountId, id }).delete();
      if (n === 0) throw new RecordNotFoundError('payment', id);
      await emitLifecycle(this.bus, trx, 'payment', 'deleted', accountId, id);
    });
  }

  private async assertReferences(trx: Knex.Transaction, accountId: string, input: PaymentInput): Promise<void> {
    await assertInAccount(trx, 'clients', 'client', accountId, input.clientId);
    if (input.invoiceId === null) return;
    await assertInAccount(trx, 'invoices', 'invoice', accountId, input.invoiceId);
    const invoice = await trx('invoices').where({ account_id: accountId, id: input.invoiceId }).first('client_id');
    if (String(invoice?.client_id) !== input.clientId) throw new ReferenceMismatchError('invoiceId', 'the invoice belongs to another client');
  }

  private async mustGet(trx: Knex.Transaction, accountId: string, id: string): Promise<WorkPayment> {
    const payment = await this.get(accountId, id, { trx });
    if (!payment) throw new RecordNotFoundError('payment', id);
    return payment;
  }
}
