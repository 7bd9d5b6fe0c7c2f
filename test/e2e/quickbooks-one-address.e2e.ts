import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import { expectReadable, screenshot, startE2eStack, type E2eStack } from './e2e-stack';

/**
 * One public address, in a real Chromium: Work is configured at http://localhost:PORT (what `npm start`
 * prints) and Intuit returns there only. A person browsing at localhost connects straight away; a person
 * browsing at http://127.0.0.1:PORT is told, before going to QuickBooks, that this address differs from
 * the configured one, follows the link, signs in there and connects. The "Connected" notice shows once.
 */

const NORTHWIND = { email: 'admin@northwind.test', password: 'northwind-admin' };
const BLUEBIRD = { email: 'admin@bluebird.test', password: 'bluebird-admin' };
const CONNECTED = 'Connected to QuickBooks. Your QuickBooks company is now linked to this Work account.';

describe('QuickBooks connect at one public address in Chromium (e2e)', function () {
  let stack: E2eStack;
  let port: string;
  const contexts: BrowserContext[] = [];

  const at = (host: string, path = '') => `http://${host}:${port}${path}`;

  async function freshPage(): Promise<Page> {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  /** The login form wherever it is shown, then wait to leave it. */
  async function signInHere(page: Page, user: { email: string; password: string }): Promise<void> {
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  /** Connect through the sandbox's consent page; back on the settings page at `host`. */
  async function connectChoosing(page: Page, host: string, companyName: string): Promise<void> {
    await Promise.all([page.waitForURL((url) => url.origin === stack.sandbox.baseUrl), page.getByRole('button', { name: 'Connect to QuickBooks' }).click()]);
    await page.getByRole('radio', { name: companyName }).check();
    await Promise.all([
      page.waitForURL((url) => url.origin === at(host) && url.pathname.startsWith(QUICKBOOKS_SETTINGS_PATH)),
      page.getByRole('button', { name: 'Connect', exact: true }).click(),
    ]);
  }

  async function statusOf(accountName: string): Promise<string | null> {
    const account = await stack.knex('accounts').where({ name: accountName }).first<{ id: string } | undefined>('id');
    if (!account) throw new Error(`no account named ${accountName}`);
    const row = await stack.knex('qbo_connections').where({ account_id: String(account.id) }).first<{ status: string } | undefined>('status');
    return row?.status ?? null;
  }

  before(async function () {
    this.timeout(60_000);
    stack = await startE2eStack({ publicHost: 'localhost' });
    port = new URL(stack.baseUrl).port;
  });

  after(async function () {
    for (const context of contexts) await context.close();
    await stack?.stop();
  });

  afterEach(function () {
    expect(stack.serverErrors, 'the stand-in answered with a 500 page').to.deep.equal([]);
  });

  it('connects while browsing at localhost, the configured address, and shows "Connected" once', async function () {
    const page = await freshPage();
    await page.goto(at('localhost', QUICKBOOKS_SETTINGS_PATH));
    await signInHere(page, NORTHWIND);
    await connectChoosing(page, 'localhost', 'Sandbox Company US Plus');
    expect(await page.locator('#notice').textContent()).to.equal(CONNECTED);
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Connected');
    expect(await statusOf('Northwind Field Services')).to.equal('connected');

    await page.reload();
    expect(await page.locator('#notice').count(), 'the notice is not shown again on reload').to.equal(0);
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Connected');
  });

  it('while browsing at 127.0.0.1, says so before QuickBooks, links to localhost, and connects there', async function () {
    const page = await freshPage();
    await page.goto(at('127.0.0.1', QUICKBOOKS_SETTINGS_PATH));
    await signInHere(page, BLUEBIRD);
    expect(page.url().startsWith(at('127.0.0.1', QUICKBOOKS_SETTINGS_PATH))).to.equal(true);

    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'other_address'), page.getByRole('button', { name: 'Connect to QuickBooks' }).click()]);
    expect(new URL(page.url()).origin, 'nobody was sent to QuickBooks').to.equal(at('127.0.0.1'));
    const notice = (await page.locator('#notice').textContent()) ?? '';
    expect(notice).to.contain(`You are using Work at ${at('127.0.0.1')}, but QuickBooks sends you back to ${at('localhost')}`);
    expect(notice).not.to.contain('another browser');
    await screenshot(page, 'settings-other-address');
    await expectReadable(page);
    expect(await statusOf('Bluebird Repairs')).to.equal(null);

    await page.locator('#notice-link').click();
    await page.waitForURL((url) => url.origin === at('localhost') && url.pathname === '/login');
    await signInHere(page, BLUEBIRD);
    expect(new URL(page.url()).origin).to.equal(at('localhost'));
    await connectChoosing(page, 'localhost', 'Sandbox Company CA Essentials');
    expect(await page.locator('#notice').textContent()).to.equal(CONNECTED);
    expect(await page.locator('#company-name').textContent()).to.equal('Sandbox Company CA Essentials');
    expect(await statusOf('Bluebird Repairs')).to.equal('connected');
  });
});
