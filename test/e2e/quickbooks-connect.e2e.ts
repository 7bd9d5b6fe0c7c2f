import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import { expectReadable, newPage, screenshot, signIn, startE2eStack, type E2eStack } from './e2e-stack';

/**
 * The plugin's settings page in a real Chromium: the admin connects through the QBO sandbox's consent page
 * (real OAuth over real HTTP, the sandbox enforcing the plugin's client id, secret and redirect URI),
 * disconnects, and is refused a Self-Employed company. Staff never see the page.
 */

const ADMIN = { email: 'admin@northwind.test', password: 'northwind-admin' };
const STAFF = { email: 'office@northwind.test', password: 'northwind-office' };

/** The settings page, with or without the trailing slash the plugin's router redirects to. */
function isSettingsPage(url: URL): boolean {
  return url.pathname.replace(/\/$/, '') === QUICKBOOKS_SETTINGS_PATH;
}

interface ConnectionState {
  status: string;
  realm_id: string;
  company_name: string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
}

describe('QuickBooks settings in Chromium (e2e)', function () {
  let stack: E2eStack;
  const contexts: BrowserContext[] = [];

  async function signedIn(user: { email: string; password: string }): Promise<Page> {
    const { context, page } = await newPage(stack);
    contexts.push(context);
    await signIn(page, user.email, user.password);
    return page;
  }

  function realmOf(companyName: string): string {
    const company = stack.sandbox.store.listCompanies().find((c) => c.companyName === companyName);
    if (!company) throw new Error(`the sandbox has no company named ${companyName}`);
    return company.realmId;
  }

  async function connections(): Promise<ConnectionState[]> {
    return stack.knex('qbo_connections').orderBy('id').select<ConnectionState[]>('status', 'realm_id', 'company_name', 'access_token_enc', 'refresh_token_enc');
  }

  /** From the settings page: "Connect to QuickBooks", pick a company on the sandbox's consent page, approve. */
  async function connectChoosing(page: Page, companyName: string): Promise<void> {
    await Promise.all([page.waitForURL((url) => url.origin === stack.sandbox.baseUrl), page.getByRole('button', { name: 'Connect to QuickBooks' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.match(/^Connect .+ to QuickBooks$/);
    await page.getByRole('radio', { name: companyName }).check();
    await Promise.all([
      page.waitForURL((url) => url.origin === stack.baseUrl && isSettingsPage(url)),
      page.getByRole('button', { name: 'Connect', exact: true }).click(),
    ]);
  }

  before(async function () {
    this.timeout(60_000);
    stack = await startE2eStack();
  });

  after(async function () {
    for (const context of contexts) await context.close();
    await stack?.stop();
  });

  afterEach(function () {
    expect(stack.serverErrors, 'the stand-in answered with a 500 page').to.deep.equal([]);
  });

  it('shows staff no QuickBooks link and a 403 page at the settings URL', async function () {
    const page = await signedIn(STAFF);
    await page.goto('/clients');
    // The nav is there (the staff user is signed in), only the QuickBooks link is not.
    expect(await page.getByRole('link', { name: 'Invoices', exact: true }).count()).to.equal(1);
    expect(await page.getByRole('link', { name: 'QuickBooks Online' }).count()).to.equal(0);

    const response = await page.goto(QUICKBOOKS_SETTINGS_PATH);
    expect(response?.status()).to.equal(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Not allowed');
    expect(await page.locator('#forbidden-message').textContent()).to.equal('Only an administrator of this account can open this page.');
    expect(await page.getByRole('button', { name: 'Connect to QuickBooks' }).count()).to.equal(0);
  });

  it('connects the admin to Sandbox Company US Plus through the consent page, then disconnects', async function () {
    const page = await signedIn(ADMIN);
    await page.goto('/clients');
    await page.getByRole('link', { name: 'QuickBooks Online' }).click();
    expect(isSettingsPage(new URL(page.url())), page.url()).to.equal(true);
    expect(await page.locator('#connection-status').textContent()).to.contain('Not connected to QuickBooks yet.');
    expect(await connections()).to.deep.equal([]);

    await connectChoosing(page, 'Sandbox Company US Plus');

    expect(await page.locator('#notice').textContent()).to.equal('Connected to QuickBooks. Your QuickBooks company is now linked to this Work account.');
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Connected');
    expect(await page.locator('#company-name').textContent()).to.equal('Sandbox Company US Plus');
    const card = (await page.locator('#connection-card').textContent()) ?? '';
    expect(card).to.contain('QuickBooks Online Plus');
    const [row] = await connections();
    expect(row && { status: row.status, realm_id: row.realm_id, company_name: row.company_name }).to.deep.equal({
      status: 'connected',
      realm_id: realmOf('Sandbox Company US Plus'),
      company_name: 'Sandbox Company US Plus',
    });
    expect(row?.access_token_enc, 'tokens are stored, encrypted').to.be.a('string').and.not.equal('');
    await screenshot(page, 'settings-connected');
    await expectReadable(page);

    // Disconnect (accepting a confirmation if the plugin asks for one).
    page.once('dialog', (dialog) => void dialog.accept());
    const loaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await loaded;
    expect(isSettingsPage(new URL(page.url())), page.url()).to.equal(true);
    expect(await page.locator('#notice').textContent()).to.contain('Disconnected from QuickBooks.');
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.equal('Disconnected');
    expect(await page.getByRole('button', { name: 'Disconnect' }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Connect to QuickBooks' }).count()).to.equal(1);
    const [afterDisconnect] = await connections();
    expect(afterDisconnect && { status: afterDisconnect.status, access: afterDisconnect.access_token_enc, refresh: afterDisconnect.refresh_token_enc }).to.deep.equal({
      status: 'disconnected',
      access: null,
      refresh: null,
    });
    await screenshot(page, 'settings-disconnected');
    await expectReadable(page);
  });

  it('refuses the Self-Employed company with a clear message and connects nothing', async function () {
    const page = await signedIn(ADMIN);
    await page.goto(QUICKBOOKS_SETTINGS_PATH);
    const before = await connections();

    await connectChoosing(page, 'Sandbox Self-Employed');

    expect(await page.locator('#notice').textContent()).to.equal(
      'This is a QuickBooks Self-Employed company, which cannot be connected. Only QuickBooks Online companies (Simple Start, Essentials, Plus or Advanced) can be connected.',
    );
    expect(await page.locator('#notice').getAttribute('class')).to.contain('notice-error');
    expect((await page.locator('#connection-status .badge').textContent())?.trim()).to.not.equal('Connected');
    expect(await page.locator('#company-name').textContent()).to.not.equal('Sandbox Self-Employed');
    const after = await connections();
    expect(after).to.deep.equal(before);
    expect(after.map((c) => c.realm_id)).to.not.include(realmOf('Sandbox Self-Employed'));
    await screenshot(page, 'settings-self-employed-refused');
    await expectReadable(page);
  });
});
