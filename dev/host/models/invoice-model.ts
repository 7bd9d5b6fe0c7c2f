import type { Knex } from 'knex';
import type { InvoicePort, ListPage, PortCallOptions } from '../../../plugin/host/work-host';
import type { DecimalString, WorkInvoice, WorkInvoiceLine } from '../../../plugin/host/work-records';
import { invoiceTotals, lineAmounts } from '../invoice-arithmetic';
import type { LifecycleBus } from '../lifecycle-bus';
import { dateAsText } from './dates';
import { emitLifecycle } from './emit';
import { assertInAccount, InvoiceHasPaymentsError, InvoiceNumberTakenError, isRecordId, RecordNotFoundError, ReferenceMismatchError } from './errors';
import { inTransaction } from './transaction';

interface InvoiceRow {
  id: string;
  account_id: string;
  client_id: string;
  site_id: string | null;
  number: string;
  issue_date: string;
  due_date: string | null;
  notes: string | null;
  tax_rate: string;
  created_at: Date;
  updated_at: Date;
}

interface LineRow {
  id: string;
  invoice_id: string;
  position: number;
  item_id: string | null;
  description: string;
  quantity: string;
  unit_price: string;
  taxable: boolean;
  tax_amount: string;
}

export interface InvoiceLineInput {
  itemId: string | null;
  description: string;
  quantity: DecimalString;
  unitPrice: DecimalString;
  taxable: boolean;
}

export interface InvoiceInput {
  clientId: string;
  siteId: string | null;
  number: string;
  issueDate: string;
  dueDate: string | null;
  notes: string | null;
  /** A percent (8.875 means 8.875 %), applied to every taxable line. */
  taxRate: DecimalString;
  lines: InvoiceLineInput[];
}

/** The stand-in's invoice: what the plugin sees, plus the rate the editor chose. */
export type StandinInvoice = WorkInvoice & { taxRate: DecimalString };

const UNIQUE_VIOLATION = '23505';

function lineFromRow(row: LineRow): WorkInvoiceLine {
  return {
    id: String(row.id),
    position: row.position,
    itemId: row.item_id === null ? null : String(row.item_id),
    description: row.description,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    taxable: row.taxable,
    taxAmount: row.tax_amount,
  };
}

function fromRows(row: InvoiceRow, lines: WorkInvoiceLine[]): StandinInvoice {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    clientId: String(row.client_id),
    siteId: row.site_id === null ? null : String(row.site_id),
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    notes: row.notes,
    taxRate: row.tax_rate,
    ...invoiceTotals(lines),
    lines,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function headerRow(input: InvoiceInput): Record<string, unknown> {
  return {
    client_id: input.clientId,
    site_id: input.siteId,
    number: input.number,
    issue_date: input.issueDate,
    due_date: input.dueDate,
    notes: input.notes,
    tax_rate: input.taxRate,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === UNIQUE_VIOLATION;
}

/**
 * Work's invoice model. An invoice and its lines are one record: a save replaces the lines in the same
 * transaction and fires exactly one lifecycle event. Each line's tax is computed here, unrounded.
 */
export class InvoiceModel implements InvoicePort {
  constructor(
    private readonly knex: Knex,
    private readonly bus: LifecycleBus,
  ) {}

  async list(accountId: string, page: ListPage & PortCallOptions & { clientId?: string } = {}): Promise<StandinInvoice[]> {
    const db = page.trx ?? this.knex;
    const q = this.selectHeaders(db, accountId).orderBy('id');
    if (page.clientId !== undefined) q.where({ client_id: page.clientId });
    if (page.afterId !== undefined) q.where('id', '>', page.afterId);
    if (page.limit !== undefined) q.limit(page.limit);
    const rows = await q;
    const lines = await this.linesByInvoice(db, rows.map((r) => r.id));
    return rows.map((r) => fromRows(r, lines.get(String(r.id)) ?? []));
  }

  async get(accountId: string, id: string, opts: PortCallOptions = {}): Promise<StandinInvoice | null> {
    if (!isRecordId(id)) return null;
    const db = opts.trx ?? this.knex;
    const row = await this.selectHeaders(db, accountId).where({ id }).first();
    if (!row) return null;
    const lines = await this.linesByInvoice(db, [row.id]);
    return fromRows(row, lines.get(String(row.id)) ?? []);
  }

  async create(accountId: string, input: InvoiceInput, opts: PortCallOptions = {}): Promise<StandinInvoice> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      await this.assertReferences(trx, accountId, input, null);
      const [row] = await trx('invoices')
        .insert({ ...headerRow(input), account_id: accountId })
        .returning('id')
        .catch((err: unknown) => this.rethrowNumberClash(err, input.number));
      if (!row) throw new Error('invoice insert returned nothing');
      const id = String(row.id);
      await this.replaceLines(trx, id, input);
      await emitLifecycle(this.bus, trx, 'invoice', 'created', accountId, id);
      return this.mustGet(trx, accountId, id);
    });
  }

  async update(accountId: string, id: string, input: InvoiceInput, opts: PortCallOptions = {}): Promise<StandinInvoice> {
    return inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('invoice', id);
      await this.assertReferences(trx, accountId, input, id);
      const n = await trx('invoices')
        .where({ account_id: accountId, id })
        .update({ ...headerRow(input), updated_at: trx.fn.now() })
        .catch((err: unknown) => this.rethrowNumberClash(err, input.number));
      if (n === 0) throw new RecordNotFoundError('invoice', id);
      await this.replaceLines(trx, id, input);
      await emitLifecycle(this.bus, trx, 'invoice', 'updated', accountId, id);
      return this.mustGet(trx, accountId, id);
    });
  }

  async delete(accountId: string, id: string, opts: PortCallOptions = {}): Promise<void> {
    await inTransaction(this.knex, opts.trx, async (trx) => {
      if (!isRecordId(id)) throw new RecordNotFoundError('invoice', id);
      if (await trx('payments').where({ account_id: accountId, invoice_id: id }).first('id')) throw new InvoiceHasPaymentsError(id);
      const n = await trx('invoices').where({ account_id: accountId, id }).delete();
      if (n === 0) throw new RecordNotFoundError('invoice', id);
      await emitLifecycle(this.bus, trx, 'invoice', 'deleted', accountId, id);
    });
  }

  private selectHeaders(db: Knex | Knex.Transaction, accountId: string): Knex.QueryBuilder<InvoiceRow, InvoiceRow[]> {
    return db<InvoiceRow>('invoices')
      .select<InvoiceRow[]>(
        'id', 'account_id', 'client_id', 'site_id', 'number', 'notes', 'tax_rate', 'created_at', 'updated_at',
        dateAsText(this.knex, 'issue_date'),
        dateAsText(this.knex, 'due_date'),
      )
      .where({ account_id: accountId });
  }

  private async linesByInvoice(db: Knex | Knex.Transaction, invoiceIds: string[]): Promise<Map<string, WorkInvoiceLine[]>> {
    const byInvoice = new Map<string, WorkInvoiceLine[]>();
    if (invoiceIds.length === 0) return byInvoice;
    const rows = await db<LineRow>('invoice_lines').whereIn('invoice_id', invoiceIds).orderBy(['invoice_id', 'position']);
    for (const row of rows) {
      const key = String(row.invoice_id);
      const list = byInvoice.get(key) ?? [];
      list.push(lineFromRow(row));
      byInvoice.set(key, list);
    }
    return byInvoice;
  }

  private async replaceLines(trx: Knex.Transaction, invoiceId: string, input: InvoiceInput): Promise<void> {
    await trx('invoice_lines').where({ invoice_id: invoiceId }).delete();
    if (input.lines.length === 0) return;
    await trx('invoice_lines').insert(
      input.lines.map((line, index) => ({
        invoice_id: invoiceId,
        position: index + 1,
        item_id: line.itemId,
        description: line.description,
        quantity: line.quantity,
        unit_price: line.unitPrice,
        taxable: line.taxable,
        tax_rate: input.taxRate,
        tax_amount: lineAmounts(line, input.taxRate).taxAmount,
      })),
    );
  }

  private async assertReferences(trx: Knex.Transaction, accountId: string, input: InvoiceInput, selfId: string | null): Promise<void> {
    await assertInAccount(trx, 'clients', 'client', accountId, input.clientId);
    if (input.siteId !== null) {
      await assertInAccount(trx, 'sites', 'site', accountId, input.siteId);
      const site = await trx('sites').where({ account_id: accountId, id: input.siteId }).first('client_id');
      if (String(site?.client_id) !== input.clientId) throw new ReferenceMismatchError('siteId', 'the site belongs to another client');
    }
    for (const line of input.lines) {
      if (line.itemId !== null) await assertInAccount(trx, 'items', 'item', accountId, line.itemId);
    }
    const clash = trx('invoices').where({ account_id: accountId, number: input.number });
    if (selfId !== null) clash.whereNot({ id: selfId });
    if (await clash.first('id')) throw new InvoiceNumberTakenError(input.number);
  }

  /** A concurrent save can still take the number between the check and the write. */
  private rethrowNumberClash(err: unknown, number: string): never {
    if (isUniqueViolation(err)) throw new InvoiceNumberTakenError(number);
    throw err;
  }

  private async mustGet(trx: Knex.Transaction, accountId: string, id: string): Promise<StandinInvoice> {
    const invoice = await this.get(accountId, id, { trx });
    if (!invoice) throw new RecordNotFoundError('invoice', id);
    return invoice;
  }
}
