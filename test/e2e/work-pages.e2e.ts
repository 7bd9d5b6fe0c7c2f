import crypto from 'node:crypto';
import { expect } from 'chai';
import Decimal from 'decimal.js';
import type { BrowserContext, Page } from 'playwright-core';
import { expectReadable, newPage, screenshot, signIn, startE2eStack, type E2eStack } from './e2e-stack';

/**
 * Work's own pages in a real Chromium against the real stand-in and PostgreSQL: a person creates a client,
 * a site, an invoice and a payment through the forms, and a bad submit saves nothing.
 */

const ADMIN = { email: 'admin@northwind.test', password: 'northwind-admin' };

/** The test's own arithmetic (not Work's code): tax per line on the unrounded amount, rounded once to cents. */
function cents(value: Decimal): string {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

async function countRows(stack: E2eStack, table: string): Promise<number> {
  const row = await stack.knex(table).count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}

interface RowCounts {
  clients: number;
  sites: number;
  invoices: number;
  invoice_lines: number;
  payments: number;
}

async function rowCounts(stack: E2eStack): Promise<RowCounts> {
  return {
    clients: await countRows(stack, 'clients'),
    sites: await countRows(stack, 'sites'),
    invoices: await countRows(stack, 'invoices'),
    invoice_lines: await countRows(stack, 'invoice_lines'),
    payments: await countRows(stack, 'payments'),
  };
}

/** Clicks a submit button and waits for the page the form leads to. */
async function submit(page: Page, button: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: button }).click();
  await loaded;
}

describe('Work pages in Chromium (e2e)', function () {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  const suffix = crypto.randomBytes(3).toString('hex');
  // An apostrophe, Cyrillic and Japanese: the FAQ's hard cases, typed by a person.
  const companyName = `D'Arcy Сервис 山田 ${suffix}`;
  const clientLabel = `${companyName} (Zoë O'Neil)`;
  const siteName = `Main plant — 工場 ${suffix}`;
  const invoiceNumber = `E2E-${suffix}`;
  const taxRate = '8.875';
  const lines = [
    { description: 'Boiler service (taxable)', quantity: '3', unitPrice: '19.9999', taxable: true },
    { description: 'Call-out fee', quantity: '1.5', unitPrice: '45.1235', taxable: false },
  ];

  before(async function () {
    this.timeout(60_000);
    stack = await startE2eStack();
    ({ context, page } = await newPage(stack));
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  after(async function () {
    await context?.close();
    await stack?.stop();
  });

  afterEach(function () {
    expect(stack.serverErrors, 'the stand-in answered with a 500 page').to.deep.equal([]);
  });

  it('creates a client, a site, an invoice and a payment through the forms', async function () {
    const before = await rowCounts(stack);

    // Client
    await page.getByRole('link', { name: 'Clients', exact: true }).click();
    await page.getByRole('link', { name: 'New client' }).click();
    await page.getByLabel('Company name').fill(companyName);
    await page.getByLabel('Contact first name').fill('Zoë');
    await page.getByLabel('Contact last name').fill("O'Neil");
    await page.getByLabel('Email', { exact: true }).fill(`zoe.${suffix}@example.test`);
    await page.getByLabel('City').fill('Springfield');
    await submit(page, 'Save client');

    expect(await page.locator('#client-name').textContent()).to.equal(clientLabel);
    expect(await page.getByRole('status').textContent()).to.equal('Client saved.');
    const client = await stack.knex('clients').where({ company_name: companyName }).first<{ id: string; first_name: string; last_name: string; city: string } | undefined>();
    expect(client, 'the client row').to.not.equal(undefined);
    if (!client) return;
    expect([client.first_name, client.last_name, client.city]).to.deep.equal(['Zoë', "O'Neil", 'Springfield']);
    expect(new URL(page.url()).pathname).to.equal(`/clients/${client.id}`);

    // Site under it
    await page.getByRole('link', { name: 'New site' }).click();
    await page.getByLabel('Site name').fill(siteName);
    await page.getByLabel('Address line 1').fill('1 Factory Road');
    await page.getByLabel('City').fill('Shelbyville');
    await submit(page, 'Save site');

    expect(new URL(page.url()).pathname).to.equal(`/clients/${client.id}`);
    await page.getByRole('cell', { name: siteName }).waitFor();
    const site = await stack.knex('sites').where({ name: siteName }).first<{ id: string; client_id: string; city: string } | undefined>();
    expect(site, 'the site row').to.not.equal(undefined);
    if (!site) return;
    expect([String(site.client_id), site.city]).to.deep.equal([String(client.id), 'Shelbyville']);

    // Invoice with two lines, one taxable, a 4-decimal unit price
    await page.getByRole('link', { name: 'New invoice' }).click();
    expect(await page.getByLabel('Client', { exact: true }).inputValue()).to.equal(String(client.id));
    // Only the chosen client's sites are offered, under the client's name.
    expect(await page.locator(`#siteId optgroup`).evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).to.deep.equal([clientLabel]);
    await page.getByLabel('Site (optional)').selectOption({ label: siteName });
    await page.getByLabel('Invoice number').fill(invoiceNumber);
    await page.getByLabel('Issue date').fill('2026-11-20');
    await page.getByLabel('Due date (optional)').fill('2026-12-20');
    await page.getByLabel('Tax rate (%) on taxable lines').fill(taxRate);
    for (const [i, line] of lines.entries()) {
      await page.getByLabel(`Line ${i + 1} description`).fill(line.description);
      await page.getByLabel(`Line ${i + 1} quantity`).fill(line.quantity);
      await page.getByLabel(`Line ${i + 1} unit price`).fill(line.unitPrice);
      await page.getByLabel(`Line ${i + 1} taxable`).setChecked(line.taxable);
    }
    await submit(page, 'Save invoice');

    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(`Invoice ${invoiceNumber}`);
    let subtotal = new Decimal(0);
    let tax = new Decimal(0);
    for (const line of lines) {
      const amount = new Decimal(line.quantity).times(line.unitPrice);
      subtotal = subtotal.plus(amount);
      if (line.taxable) tax = tax.plus(amount.times(taxRate).dividedBy(100));
    }
    const total = subtotal.plus(tax);
    const shown = {
      subtotal: await page.locator('#invoice-subtotal').textContent(),
      tax: await page.locator('#invoice-tax').textContent(),
      total: await page.locator('#invoice-total').textContent(),
    };
    expect(shown).to.deep.equal({ subtotal: cents(subtotal), tax: cents(tax), total: cents(total) });
    expect(await page.locator('main').textContent()).to.contain(`exact tax ${tax.toFixed()}`);
    await screenshot(page, 'invoice');
    await expectReadable(page);

    const invoice = await stack.knex('invoices').where({ number: invoiceNumber }).first<{ id: string; client_id: string; site_id: string; tax_rate: string } | undefined>();
    expect(invoice, 'the invoice row').to.not.equal(undefined);
    if (!invoice) return;
    expect([String(invoice.client_id), String(invoice.site_id), new Decimal(invoice.tax_rate).toFixed()]).to.deep.equal([String(client.id), String(site.id), taxRate]);
    const storedLines = await stack.knex('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position').select<{ description: string; quantity: string; unit_price: string; taxable: boolean; tax_amount: string }[]>();
    expect(storedLines.map((l) => [l.description, new Decimal(l.quantity).toFixed(), new Decimal(l.unit_price).toFixed(), l.taxable])).to.deep.equal(
      lines.map((l) => [l.description, l.quantity, l.unitPrice, l.taxable]),
    );
    const storedTax = storedLines.reduce((sum, l) => sum.plus(l.tax_amount), new Decimal(0));
    expect(storedTax.equals(tax), `stored tax ${storedTax.toFixed()} = ${tax.toFixed()}`).to.equal(true);

    // Payment against it, from the invoice page
    await page.getByRole('link', { name: 'Record a payment' }).click();
    expect(await page.getByLabel('Client', { exact: true }).inputValue()).to.equal(String(client.id));
    expect(await page.getByLabel('Invoice (optional)').inputValue()).to.equal(String(invoice.id));
    expect(await page.locator('#invoiceId option:checked').textContent()).to.equal(`${invoiceNumber} — ${clientLabel} — ${cents(total)}`);
    await page.getByLabel('Amount').fill(cents(total));
    await page.getByLabel('Payment date').fill('2026-11-24');
    await page.getByLabel('Method').selectOption('Check');
    await page.getByLabel('Reference (check number, transaction id)').fill(`CHK-${suffix}`);
    await submit(page, 'Save payment');

    expect(new URL(page.url()).pathname).to.equal('/payments');
    expect(await page.getByRole('status').textContent()).to.equal('Payment saved.');
    const paymentRow = page.getByRole('row').filter({ hasText: `CHK-${suffix}` });
    expect(await paymentRow.count()).to.equal(1);
    expect((await paymentRow.locator('td').allTextContents()).map((t) => t.trim())).to.deep.equal(['2026-11-24', clientLabel, invoiceNumber, 'Check', `CHK-${suffix}`, cents(total)]);
    const payment = await stack.knex('payments').where({ reference: `CHK-${suffix}` }).first<{ client_id: string; invoice_id: string; amount: string; paid_on: Date | string; method: string } | undefined>();
    expect(payment, 'the payment row').to.not.equal(undefined);
    if (!payment) return;
    expect([String(payment.client_id), String(payment.invoice_id), payment.amount, payment.method]).to.deep.equal([String(client.id), String(invoice.id), cents(total), 'Check']);

    const after = await rowCounts(stack);
    expect(after).to.deep.equal({ ...before, clients: before.clients + 1, sites: before.sites + 1, invoices: before.invoices + 1, invoice_lines: before.invoice_lines + 2, payments: before.payments + 1 });
  });

  it('refuses a payment of 12.345 with a clear message on the page and saves nothing', async function () {
    const before = await rowCounts(stack);
    await page.goto('/payments/new');
    await page.getByLabel('Client', { exact: true }).selectOption({ label: "O'Brien & Sons Heating (Sean O'Brien)" });
    await page.getByLabel('Amount').fill('12.345');
    await page.getByLabel('Payment date').fill('2026-11-24');
    await submit(page, 'Save payment');

    expect(await page.getByRole('alert').textContent()).to.contain('Nothing was saved. Please fix the problems below.');
    expect(await page.locator('#amount + .field-error').textContent()).to.equal('Amount can have at most 2 decimal places.');
    // What the person typed is still there to correct.
    expect(await page.getByLabel('Amount').inputValue()).to.equal('12.345');
    await screenshot(page, 'payment-form-refused');
    await expectReadable(page);
    expect(await rowCounts(stack)).to.deep.equal(before);
  });

  it('refuses a payment dated with a mistyped year (1026) and saves nothing', async function () {
    // Chromium's date field lets a person type any year from 0001; Work accepts 1900 to 9999 only.
    const before = await rowCounts(stack);
    await page.goto('/payments/new');
    await page.getByLabel('Client', { exact: true }).selectOption({ label: "O'Brien & Sons Heating (Sean O'Brien)" });
    await page.getByLabel('Amount').fill('12.34');
    await page.getByLabel('Payment date').fill('1026-11-24');
    await submit(page, 'Save payment');

    expect(await page.getByRole('alert').textContent()).to.contain('Nothing was saved. Please fix the problems below.');
    expect(await page.locator('#paidOn + .field-error').textContent()).to.equal('Payment date: 1026-11-24 is not a real calendar date.');
    expect(await page.locator('#amount + .field-error').count(), 'the amount was fine').to.equal(0);
    expect(await rowCounts(stack)).to.deep.equal(before);
  });

  it('refuses an invoice whose due date is before its issue date and saves nothing', async function () {
    const before = await rowCounts(stack);
    await page.goto('/invoices/new');
    await page.getByLabel('Client', { exact: true }).selectOption({ label: "O'Brien & Sons Heating (Sean O'Brien)" });
    await page.getByLabel('Invoice number').fill(`BAD-${suffix}`);
    await page.getByLabel('Issue date').fill('2026-11-20');
    await page.getByLabel('Due date (optional)').fill('2026-11-19');
    await page.getByLabel('Line 1 description').fill('Inspection');
    await page.getByLabel('Line 1 quantity').fill('1');
    await page.getByLabel('Line 1 unit price').fill('10.12345');
    await submit(page, 'Save invoice');

    const alert = (await page.getByRole('alert').textContent()) ?? '';
    expect(alert).to.contain('Nothing was saved. Please fix the problems below.');
    expect(alert).to.contain('The due date cannot be before the issue date.');
    expect(alert).to.contain('Line 1: Unit price can have at most 4 decimal places.');
    expect(await stack.knex('invoices').where({ number: `BAD-${suffix}` }).first()).to.equal(undefined);
    expect(await rowCounts(stack)).to.deep.equal(before);
  });
});
