import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import { IMPORT_TEXTS, SETTINGS_TEXTS } from '../../plugin/messages';
import { PAGE_HEADER, PAGE_ROWS } from '../fixtures/products/make-fixtures';
import { newPage, signIn, startE2eStack, type E2eStack } from './e2e-stack';
import { checkPage, submit } from './page-checks';

/**
 * The plugin's own pages in a real Chromium, inside Work's layout: the admin connects, chooses accounts on
 * the settings page, imports a products file as CSV and as XLSX. Every page is photographed at 1280 and
 * 390 px wide, must fit the window, and axe-core must find no serious or critical accessibility violation.
 */

const ADMIN = { email: 'admin@northwind.test', password: 'northwind-admin' };
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'products');

describe('the plugin\'s pages in Chromium: settings and products import (e2e)', function () {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;

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

  it('shows the connection page inside Work\'s layout, with the plugin\'s navigation, and connects', async function () {
    await page.getByRole('link', { name: 'QuickBooks Online' }).click();
    // Work's own nav is there around the plugin's page, and the plugin's nav marks the current page.
    expect(await page.getByRole('link', { name: 'Clients', exact: true }).count()).to.equal(1);
    const nav = page.getByRole('navigation', { name: 'QuickBooks Online pages' });
    expect(await nav.getByRole('link').allTextContents()).to.deep.equal(['Connection', 'Settings', 'Readiness preview', 'Sync now', 'Run history', 'Sync log', 'Review list', 'Invoice totals', 'Products import']);
    expect(await nav.getByRole('link', { name: 'Connection' }).getAttribute('aria-current')).to.equal('page');
    expect(await page.title()).to.equal('QuickBooks Online · Connection · Work');
    await checkPage(page, 'connection-not-connected');

    await Promise.all([page.waitForURL((url) => url.origin === stack.sandbox.baseUrl), page.getByRole('button', { name: 'Connect to QuickBooks' }).click()]);
    await page.getByRole('radio', { name: 'Sandbox Company US Plus' }).check();
    await Promise.all([page.waitForURL((url) => url.origin === stack.baseUrl), page.getByRole('button', { name: 'Connect', exact: true }).click()]);
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Connected');
    await checkPage(page, 'connection-connected');
  });

  it('chooses accounts on the settings page, refuses a bad time zone with a message, then saves', async function () {
    await page.getByRole('navigation', { name: 'QuickBooks Online pages' }).getByRole('link', { name: 'Settings' }).click();
    expect(new URL(page.url()).pathname).to.equal(`${QUICKBOOKS_SETTINGS_PATH}/settings`);
    await checkPage(page, 'settings');

    await page.getByLabel(SETTINGS_TEXTS.invoices).check();
    await page.getByLabel(SETTINGS_TEXTS.payments).check();
    await page.getByLabel(SETTINGS_TEXTS.incomeAccount).selectOption({ label: 'Services (Income)' });
    await page.getByLabel(SETTINGS_TEXTS.depositAccount).selectOption({ label: 'Checking (Bank)' });
    await page.getByLabel(SETTINGS_TEXTS.nightlyTime).fill('03:30');
    await page.getByLabel(SETTINGS_TEXTS.timeZone).fill('Europe/Atlantis');
    await submit(page, SETTINGS_TEXTS.saveButton);
    expect(await page.getByRole('alert').textContent()).to.contain(SETTINGS_TEXTS.problems.badTimeZone);
    expect(await page.getByLabel(SETTINGS_TEXTS.incomeAccount).inputValue(), 'the choices are kept').to.equal('1');
    await checkPage(page, 'settings-refused');
    expect(await stack.knex('qbo_settings').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);

    await page.getByLabel(SETTINGS_TEXTS.timeZone).fill('America/Chicago');
    await submit(page, SETTINGS_TEXTS.saveButton);
    expect(await page.locator('#notice').textContent()).to.equal(SETTINGS_TEXTS.saved);
    expect(await page.getByText('Invoices created or changed since').count()).to.equal(1);
    const row = await stack.knex('qbo_settings').first<{ invoices_enabled: boolean; income_account_qbo_id: string; deposit_account_qbo_id: string; nightly_sync_time: string; nightly_time_zone: string }>();
    expect(row).to.deep.include({ invoices_enabled: true, income_account_qbo_id: '1', deposit_account_qbo_id: '2', nightly_sync_time: '03:30', nightly_time_zone: 'America/Chicago' });
    await checkPage(page, 'settings-saved');
  });

  it('imports a products file as CSV, then the same list as XLSX changes nothing', async function () {
    await page.getByRole('navigation', { name: 'QuickBooks Online pages' }).getByRole('link', { name: 'Products import' }).click();
    await checkPage(page, 'import');

    await page.getByLabel(IMPORT_TEXTS.fileLabel).setInputFiles(path.join(FIXTURES, 'products-windows1252.csv'));
    await submit(page, IMPORT_TEXTS.uploadButton);
    expect(await page.locator('#import-counts').innerText()).to.contain(`${IMPORT_TEXTS.toCreate}: 2`).and.contain(`${IMPORT_TEXTS.rejected}: 3`);
    expect(await page.locator('#rejected').innerText()).to.contain('Hedges:Trim').and.contain('Café descaling');
    await checkPage(page, 'import-preview');

    await submit(page, IMPORT_TEXTS.confirmButton);
    expect(await page.locator('#notice').textContent()).to.equal(IMPORT_TEXTS.imported(2, 0));
    await checkPage(page, 'import-done');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Products');
    for (const row of [PAGE_HEADER, ...PAGE_ROWS]) sheet.addRow(row);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.getByLabel(IMPORT_TEXTS.fileLabel).setInputFiles({ name: 'products.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await submit(page, IMPORT_TEXTS.uploadButton);
    expect(await page.locator('#nothing-to-do').textContent()).to.equal(IMPORT_TEXTS.nothingToDo);
    expect(await page.getByRole('button', { name: IMPORT_TEXTS.confirmButton }).count()).to.equal(0);
    await checkPage(page, 'import-unchanged');

    // Work's own products page lists what was imported.
    await page.getByRole('link', { name: 'Products & services' }).click();
    expect(await page.locator('main').innerText()).to.contain('Boiler service').and.contain('Filter cartridge');
  });

  it('answers a wrong file on the page, announced in the status region', async function () {
    await page.goto(`${QUICKBOOKS_SETTINGS_PATH}/import/products`);
    await page.getByLabel(IMPORT_TEXTS.fileLabel).setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: fs.readFileSync(path.join(FIXTURES, 'products-utf8.csv')) });
    await submit(page, IMPORT_TEXTS.uploadButton);
    expect(await page.getByRole('status').filter({ hasText: IMPORT_TEXTS.problems.wrongType }).count()).to.equal(1);
    await checkPage(page, 'import-wrong-file');
  });
});
