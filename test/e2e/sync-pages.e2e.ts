import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import { LOG_TEXTS, PREVIEW_TEXTS, REVIEW_TEXTS, SETTINGS_TEXTS, SYNC_NOW_TEXTS, SYNC_REASONS } from '../../plugin/messages';
import { newPage, screenshot, signIn, startE2eStack, type E2eStack } from './e2e-stack';
import { checkPage, submit } from './page-checks';

/**
 * The sync engine's pages in a real Chromium, as an office admin uses them: connect through the sandbox's
 * consent page, choose accounts, open the readiness preview, start the first sync and watch its progress
 * reach the end, see a client on the sandbox's own page, fix a log entry with retry, resolve a review
 * entry. Every plugin page is photographed at 1280 and 390 px and checked by axe-core.
 */

const ADMIN = { email: 'admin@northwind.test', password: 'northwind-admin' };
const NAV = 'QuickBooks Online pages';

describe('the sync engine\'s pages in Chromium: preview, first sync with live progress, log, review (e2e)', function () {
  this.timeout(120_000);
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let realmId: string;

  before(async function () {
    this.timeout(60_000);
    stack = await startE2eStack();
    const company = stack.sandbox.control.listCompanies().find((c) => c.companyName === 'Sandbox Company US Plus');
    if (!company) throw new Error('no US Plus sandbox company');
    realmId = company.realmId;
    // QuickBooks' side: a customer matching a seeded client, two that could both be "Lakeside Bakery" (a
    // seeded client without an email: the review list), one only in QuickBooks.
    stack.sandbox.control.bulkLoad(realmId, 'Customer', [
      { DisplayName: 'Evergreen Landscaping', CompanyName: 'Evergreen Landscaping', Active: true },
      { DisplayName: 'Lakeside Bakery', CompanyName: 'Lakeside Bakery', Active: true },
      { DisplayName: 'Lakeside Bakery (Main St)', CompanyName: 'Lakeside Bakery', Active: true },
      { DisplayName: 'Zephyr Cooling', CompanyName: 'Zephyr Cooling', Active: true },
    ]);
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

  function navLink(name: string) {
    return page.getByRole('navigation', { name: NAV }).getByRole('link', { name, exact: true });
  }

  it('connects through the sandbox\'s consent page and chooses accounts on the settings page', async function () {
    await page.getByRole('link', { name: 'QuickBooks Online' }).click();
    await Promise.all([page.waitForURL((url) => url.origin === stack.sandbox.baseUrl), page.getByRole('button', { name: 'Connect to QuickBooks' }).click()]);
    await page.getByRole('radio', { name: 'Sandbox Company US Plus' }).check();
    await Promise.all([page.waitForURL((url) => url.origin === stack.baseUrl), page.getByRole('button', { name: 'Connect', exact: true }).click()]);
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Connected');

    await navLink('Settings').click();
    await page.getByLabel(SETTINGS_TEXTS.incomeAccount).selectOption({ label: 'Services (Income)' });
    await page.getByLabel(SETTINGS_TEXTS.expenseAccount).selectOption({ label: 'Job Expenses (Expense)' });
    await page.getByLabel(SETTINGS_TEXTS.depositAccount).selectOption({ label: 'Checking (Bank)' });
    await submit(page, SETTINGS_TEXTS.saveButton);
    expect(await page.locator('#notice').textContent()).to.equal(SETTINGS_TEXTS.saved);
  });

  it('opens the readiness preview, filters it without script, and nothing is written', async function () {
    await navLink('Readiness preview').click();
    expect(await page.locator('#preview-counts').innerText()).to.contain('Will be linked').and.contain('Needs review');
    await checkPage(page, 'preview');
    await page.getByLabel(PREVIEW_TEXTS.filterAction).selectOption('review');
    await submit(page, PREVIEW_TEXTS.applyFilters);
    expect(new URL(page.url()).searchParams.get('action')).to.equal('review');
    const actions = await page.locator('#preview-table tbody tr td:nth-child(4)').allInnerTexts();
    expect(actions.length).to.be.greaterThan(0);
    expect(actions.every((a) => a === 'Needs review')).to.equal(true);
    await checkPage(page, 'preview-filtered');
    expect(await stack.knex('qbo_sync_runs').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
    expect(await stack.knex('qbo_mappings').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
  });

  it('starts the first sync from the preview and watches the progress reach the end, without reloading by hand', async function () {
    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/preview`);
    // QuickBooks answers the run's first read slowly, so the page surely meets the run while it goes.
    stack.sandbox.control.armFault({ kind: 'delay', path: '/query', delayMs: 2000, count: 1, realmId });
    await submit(page, PREVIEW_TEXTS.startButton);
    expect(new URL(page.url()).pathname).to.equal(`${QUICKBOOKS_SETTINGS_PATH}/sync`);
    expect(await page.locator('#notice').textContent()).to.equal(SYNC_NOW_TEXTS.started);
    expect(await page.locator('#run-status').textContent()).to.equal('Running');
    expect(await page.getByRole('button', { name: SYNC_NOW_TEXTS.cancelButton }).count()).to.equal(1);
    await screenshot(page, 'plugin-sync-running-1280');
    // The page's script polls the progress and reloads once the run is over; the outcome appears by itself.
    await page.locator('#run-status', { hasText: 'Finished' }).waitFor({ timeout: 60_000 });
    const bar = page.locator('#run-progress');
    expect(await bar.getAttribute('value')).to.equal(await bar.getAttribute('max'));
    expect(Number(await bar.getAttribute('max'))).to.be.greaterThan(10);
    expect(await page.locator('#run-counts').innerText()).to.contain('Clients').and.contain('Created in QuickBooks');
    expect(await page.locator('#sync-cancel-form').count(), 'nothing left to cancel').to.equal(0);
    await checkPage(page, 'sync-finished');

    await navLink('Run history').click();
    expect(await page.locator('#history-table tbody tr').count()).to.equal(1);
    expect(await page.locator('#history-table').innerText()).to.contain('First sync').and.contain('Finished');
    await checkPage(page, 'history');

    // The sandbox's own page shows the client the sync created in "QuickBooks".
    await page.goto(`${stack.sandbox.baseUrl}/companies/${encodeURIComponent(realmId)}`);
    expect(await page.locator('body').innerText()).to.contain('Blue Ridge Property Management').and.contain('Evergreen Landscaping');
  });

  it('fixes a failed log entry with retry: the next sync sends the client and the entry is settled', async function () {
    const client = await stack.knex('clients').where({ company_name: 'Blue Ridge Property Management' }).first<{ id: string | number; account_id: string | number }>('id', 'account_id');
    const clientId = String(client?.id);
    // A failure as the engine records one when QuickBooks could not be reached (nothing was lost).
    await stack.knex('qbo_sync_log').insert({
      account_id: String(client?.account_id), entity: 'client', work_id: clientId, level: 'error', outcome: 'failed', reason_code: 'qbo_unreachable',
      reason: SYNC_REASONS.qbo_unreachable, fault_code: '503', intuit_tid: '1-e2e-tid', attempts: 3, created_at: new Date(),
    });
    await page.goto('/clients');
    const status = page.locator(`td[data-sync="${clientId}"]`);
    expect(await status.innerText()).to.contain('Sync failed');
    await status.getByRole('link', { name: 'See the sync log' }).click();
    expect(new URL(page.url()).searchParams.get('work')).to.equal(clientId);
    expect(await page.locator('#log-table').innerText()).to.contain('1-e2e-tid').and.contain('503');
    await checkPage(page, 'log-record');

    await page.getByRole('navigation', { name: NAV }).getByRole('link', { name: 'Sync log' }).click();
    await page.getByLabel(LOG_TEXTS.outcome).selectOption('failed');
    await submit(page, LOG_TEXTS.apply);
    await checkPage(page, 'log-failed');
    const row = page.locator('#log-table tbody tr', { hasText: '1-e2e-tid' });
    const loaded = page.waitForEvent('load');
    await row.getByRole('button', { name: /^Retry/ }).click();
    await loaded;
    expect(await page.locator('#notice').textContent()).to.equal(LOG_TEXTS.retried(1));

    await navLink('Sync now').click();
    await submit(page, SYNC_NOW_TEXTS.startButton);
    await page.locator('#run-status', { hasText: 'Finished' }).waitFor({ timeout: 60_000 });
    await page.goto('/clients');
    expect(await page.locator(`td[data-sync="${clientId}"]`).innerText()).to.match(/Linked \(QuickBooks #\d+\)/);
    const planted = await stack.knex('qbo_sync_log').where({ intuit_tid: '1-e2e-tid' }).first<{ retried_at: Date | null; next_attempt_at: Date | null }>();
    expect(planted?.retried_at, 'retried from the page').to.be.instanceOf(Date);
    expect(planted?.next_attempt_at, 'settled by the sync that sent it').to.equal(null);
  });

  it('resolves a review entry by linking the candidate the admin picks', async function () {
    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/review`);
    await checkPage(page, 'review');
    const entry = page.locator('section.card', { hasText: 'Lakeside Bakery' }).first();
    await entry.getByRole('radio', { name: /^Link to QuickBooks #/ }).first().check();
    const loaded = page.waitForEvent('load');
    await entry.getByRole('button', { name: REVIEW_TEXTS.submit }).click();
    await loaded;
    expect(await page.locator('#notice').textContent()).to.equal(REVIEW_TEXTS.linked);
    await checkPage(page, 'review-resolved');
    const lakeside = await stack.knex('clients').where({ company_name: 'Lakeside Bakery' }).first<{ id: string | number }>('id');
    expect(await stack.knex('qbo_mappings').where({ entity: 'client', work_id: String(lakeside?.id) }).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);

    // The remaining plugin pages, photographed and checked like the others.
    await navLink('Sync now').click();
    await checkPage(page, 'sync');
    await navLink('Sync log').click();
    await checkPage(page, 'log');
  });

  it('turns invoice sync on, and a new invoice made in Work reaches the sandbox with the next sync', async function () {
    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/settings`);
    await page.getByLabel(SETTINGS_TEXTS.invoices).check();
    await submit(page, SETTINGS_TEXTS.saveButton);
    expect(await page.locator('#notice').textContent()).to.equal(SETTINGS_TEXTS.saved);

    const client = await stack.knex('clients').where({ company_name: 'Blue Ridge Property Management' }).first<{ id: string | number }>('id');
    await page.goto(`/invoices/new?clientId=${String(client?.id)}`);
    await page.getByLabel('Invoice number').fill('E2E-QBO-1');
    await page.getByLabel('Line 1 description').fill('Boiler service');
    await page.getByLabel('Line 1 quantity').fill('2');
    await page.getByLabel('Line 1 unit price').fill('120.50');
    await submit(page, 'Save invoice');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Invoice E2E-QBO-1');
    expect(await page.locator('#sync-status').innerText()).to.match(/Waiting to sync|Not synced/);

    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/sync`);
    await submit(page, SYNC_NOW_TEXTS.startButton);
    await page.locator('#run-status', { hasText: 'Finished' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#run-counts').innerText()).to.contain('Invoices');

    const invoice = await stack.knex('invoices').where({ number: 'E2E-QBO-1' }).first<{ id: string | number }>('id');
    await page.goto(`/invoices/${String(invoice?.id)}`);
    expect(await page.locator('#sync-status').innerText()).to.match(/Linked \(QuickBooks #\d+\)/);
    await page.goto(`${stack.sandbox.baseUrl}/companies/${encodeURIComponent(realmId)}`);
    const sandboxPage = await page.locator('body').innerText();
    expect(sandboxPage).to.match(/Invoices \(1\)/);
    const invoiceRow = await page.locator('table').nth(1).locator('tbody tr').first().innerText();
    expect(invoiceRow, 'the invoice in the sandbox: its customer and total').to.contain('Blue Ridge Property Management').and.match(/\b241(\.0+)?\b/);

    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/reconciliation`);
    await checkPage(page, 'reconciliation');
  });
});
