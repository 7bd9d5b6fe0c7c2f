import { expect } from 'chai';
import { logOf, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, addPayment, invoiceAccount, line, mappingOf, outboxOf, qboInvoices, qboPayments, salesLines, setAccountActive, setPreference, type InvoiceAccount } from './sync-invoices-support';
import type { World } from './connect-sandbox-support';
import type { SyncLogRow } from '../../plugin/persistence/sync-log-repository';

/**
 * Work (the real monolith) may hold values the stand-in's schema refuses (12-decimal quantities, zero or
 * negative payments, prices beyond numeric(14,4)); the plugin reads decimal strings, so this suite widens the
 * stand-in's columns in its scratch database to hand them over.
 */
async function acceptAnyNumbers(world: World): Promise<void> {
  await world.knex.raw('ALTER TABLE invoice_lines DROP CONSTRAINT IF EXISTS invoice_lines_quantity_positive');
  await world.knex.raw('ALTER TABLE invoice_lines ALTER COLUMN quantity TYPE numeric, ALTER COLUMN unit_price TYPE numeric');
  await world.knex.raw('ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_amount_positive');
  await world.knex.raw('ALTER TABLE payments ALTER COLUMN amount TYPE numeric');
}

const entryOf = (log: SyncLogRow[], entity: string, workId: string, code: string) => log.find((e) => e.entity === entity && e.work_id === workId && e.reason_code === code);

describe('sync: bad invoices and payments get a clear log entry, nothing is lost and the run goes on', function () {
  this.timeout(90_000);
  const suite = useSyncWorld();
  before(() => acceptAnyNumbers(suite.world));

  async function unchangedInWork(world: World, account: InvoiceAccount, id: string, before: unknown): Promise<void> {
    expect(await world.work.models.invoices.get(account.accountId, id)).to.deep.equal(before);
  }

  it('zero, negative and huge amounts, many-decimal quantities, 4-decimal prices, an empty invoice, payments too large, zero or negative', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const zero = await addInvoice(world, account, [line('1', '0.0000')]);
    const negative = await addInvoice(world, account, [line('1', '-50.0000')]);
    const discount = await addInvoice(world, account, [line('1', '100.0000'), line('1', '-20.0000', { description: 'Discount' })]);
    const huge = await addInvoice(world, account, [line('2', '9999999999.0000')]);
    const manyDecimals = await addInvoice(world, account, [line('1.123456789012', '3.3333')]);
    const fourDecimals = await addInvoice(world, account, [line('3', '0.3333')]);
    const empty = await addInvoice(world, account, []);
    const small = await addInvoice(world, account, [line('1', '50.0000')]);
    const tooLarge = await addPayment(world, account, small.id, '80.00');
    const zeroPay = await addPayment(world, account, fourDecimals.id, '0');
    const negativePay = await addPayment(world, account, fourDecimals.id, '-5.00');
    const hugePay = await addPayment(world, account, null, '12345678901.00');
    const refusedBefore = await world.work.models.invoices.get(account.accountId, negative.id);
    await syncNow(world, account.accountId, 'continuous');

    const log = await logOf(world, account.accountId);
    const byNote = (inv: { number: string }) => qboInvoices(world, account.realmId).find((i) => i['PrivateNote'] === `Work invoice ${inv.number}`);
    // Sent: a zero invoice (warned), a discount line, the many-decimal line as 1 × its total, the 4-decimal price as it is.
    expect(byNote(zero)?.['TotalAmt']).to.equal(0);
    expect(entryOf(log, 'invoice', zero.id, 'invoice_zero_total')?.level).to.equal('warning');
    expect(byNote(discount)?.['TotalAmt']).to.equal(80);
    const many = salesLines(byNote(manyDecimals))[0];
    expect([many?.SalesItemLineDetail.Qty, many?.SalesItemLineDetail.UnitPrice, many?.Amount]).to.deep.equal([1, 3.74, 3.74]);
    expect(many?.Description).to.equal('Labour (1.123456789012 × 3.3333)');
    expect(entryOf(log, 'invoice', manyDecimals.id, 'invoice_line_sent_as_total')?.reason).to.match(/quantity 1 at its total/);
    const four = salesLines(byNote(fourDecimals))[0];
    expect([four?.SalesItemLineDetail.Qty, four?.SalesItemLineDetail.UnitPrice, four?.Amount]).to.deep.equal([3, 0.3333, 1]);
    // Refused before any call, each with its reason; the Work record untouched, its outbox row kept (failed).
    for (const [inv, code] of [[negative, 'invoice_negative_total'], [huge, 'invoice_amount_too_large'], [empty, 'invoice_no_lines']] as const) {
      const entry = entryOf(log, 'invoice', inv.id, code);
      expect(entry, code).to.deep.include({ level: 'error', outcome: 'blocked' });
      expect(byNote(inv), code).to.equal(undefined);
      expect((await outboxOf(world, account.accountId, 'invoice', inv.id)).map((r) => r.status), code).to.deep.equal(['failed']);
    }
    expect(entryOf(log, 'invoice', empty.id, 'invoice_no_lines')?.reason).to.match(/no lines, and QuickBooks needs at least one/);
    await unchangedInWork(world, account, negative.id, refusedBefore);

    // A payment larger than its invoice: the open 50.00 applied, 30.00 left as a credit, with a warning.
    const large = qboPayments(world, account.realmId).find((p) => p['TotalAmt'] === 80);
    expect((large?.['Line'] as { Amount: number }[])[0]?.Amount).to.equal(50);
    expect(large?.['UnappliedAmt']).to.equal(30);
    expect(entryOf(log, 'payment', tooLarge.id, 'payment_exceeds_invoice_balance')?.level).to.equal('warning');
    for (const [p, code] of [[zeroPay, 'payment_zero_amount'], [negativePay, 'payment_negative_amount'], [hugePay, 'payment_amount_too_large']] as const) {
      expect(entryOf(log, 'payment', p.id, code), code).to.deep.include({ outcome: 'blocked', level: 'error' });
      expect(await mappingOf(world, account.accountId, 'payment', p.id), code).to.equal(undefined);
    }
    expect(qboPayments(world, account.realmId)).to.have.length(1);
    // The run went on and finished.
    const run = await world.knex('qbo_sync_runs').where({ account_id: account.accountId }).orderBy('id', 'desc').first();
    expect(run.status).to.equal('succeeded');
  });

  it('a deposit or income account made inactive in QBO holds the pushes with a reason; they go once it is active again', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('1', '40.0000')]);
    const payment = await addPayment(world, account, invoice.id, '40.00');
    await setAccountActive(world, account.realmId, '2', false); // the deposit account
    await syncNow(world, account.accountId, 'continuous');
    expect(qboInvoices(world, account.realmId)).to.have.length(1);
    expect(qboPayments(world, account.realmId)).to.have.length(0);
    let log = await logOf(world, account.accountId);
    expect(entryOf(log, 'payment', payment.id, 'deposit_account_inactive')?.reason).to.equal(
      'The deposit account for payments: the chosen account was made inactive in QuickBooks. Nothing is lost: it waits and is sent once this is fixed in the QuickBooks settings.',
    );
    expect((await outboxOf(world, account.accountId, 'payment', payment.id)).map((r) => r.status)).to.deep.equal(['pending']);

    await setAccountActive(world, account.realmId, '1', false); // the income account
    const second = await addInvoice(world, account, [line('1', '15.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    log = await logOf(world, account.accountId);
    expect(entryOf(log, 'invoice', second.id, 'income_account_inactive')?.outcome).to.equal('blocked');
    expect(qboInvoices(world, account.realmId)).to.have.length(1);

    await setAccountActive(world, account.realmId, '1', true);
    await setAccountActive(world, account.realmId, '2', true);
    await syncNow(world, account.accountId, 'manual');
    expect(qboInvoices(world, account.realmId)).to.have.length(2);
    expect(qboPayments(world, account.realmId)).to.have.length(1);
  });

  it('a closed period (6210) is logged with QBO\'s code and waits; the run goes on with the other invoices and sends it after the period reopens', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    setPreference(world, account.realmId, 'AccountingInfoPrefs', { BookCloseDate: '2026-10-31' });
    const closed = await addInvoice(world, account, [line('1', '10.0000')], { issueDate: '2026-10-15' });
    const open = await addInvoice(world, account, [line('1', '20.0000')], { issueDate: '2026-11-15' });
    await syncNow(world, account.accountId, 'continuous');
    expect(qboInvoices(world, account.realmId).map((i) => i['TotalAmt'])).to.deep.equal([20]);
    const entry = entryOf(await logOf(world, account.accountId), 'invoice', closed.id, 'push_waits_for_qbo');
    expect(entry?.fault_code).to.equal('6210');
    expect(entry?.reason).to.match(/^QuickBooks refused the change because the date falls in a closed accounting period\. Reopen the period/);
    expect((await outboxOf(world, account.accountId, 'invoice', closed.id)).map((r) => r.status)).to.deep.equal(['pending']);
    expect(await mappingOf(world, account.accountId, 'invoice', open.id)).to.not.equal(undefined);

    setPreference(world, account.realmId, 'AccountingInfoPrefs', { BookCloseDate: '2026-09-30' });
    await syncNow(world, account.accountId, 'manual');
    expect(qboInvoices(world, account.realmId).map((i) => i['TotalAmt']).sort()).to.deep.equal([10, 20]);
  });
});
