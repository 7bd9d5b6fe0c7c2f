import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser';
import { badCase } from '../ledger';
import { MOUNT, csrfOf, type BadInputWorld } from '../world';
import { clientFields, invoiceFields, latestRow, paymentFields, siteFields, submitWorkForm } from './form-support';

/** Markup that sets a page-level flag or opens a dialog if a browser ever ran it. */
const SCRIPT = '<script>window.__pwned=1</script>';
const ATTRIBUTE = `"><img src=x onerror="window.__pwned=1;alert(1)">`;
const SHORT = `'><svg onload=alert(1)>`;

interface Records {
  client: string;
  site: string;
  invoice: string;
  payment: string;
}

/** Northwind's records carrying markup in every kind of text a page shows, and a settings value; Bluebird's company name. */
async function plantHostileRecords(w: BadInputWorld): Promise<Records> {
  const nw = w.clients.northwindAdmin;
  const ok = (status: number, what: string) => expect(status, what).to.equal(303);
  ok((await submitWorkForm(nw, '/clients/new', '/clients', clientFields({ companyName: SCRIPT, firstName: ATTRIBUTE, notes: `${ATTRIBUTE}\n${SCRIPT}`, city: SHORT }))).status, 'hostile client');
  const client = String((await latestRow(w, 'clients', w.accounts.northwind)).id);
  ok((await submitWorkForm(nw, `/clients/${client}/sites/new`, `/clients/${client}/sites`, siteFields({ name: ATTRIBUTE, contactName: SCRIPT }))).status, 'hostile site');
  const site = String((await latestRow(w, 'sites', w.accounts.northwind)).id);
  ok((await submitWorkForm(nw, '/invoices/new', '/invoices', invoiceFields(client, { siteId: site, number: `${SHORT}-B`, notes: SCRIPT, 'lines[0][description]': ATTRIBUTE }))).status, 'hostile invoice');
  const invoice = String((await latestRow(w, 'invoices', w.accounts.northwind)).id);
  ok((await submitWorkForm(nw, '/payments/new', '/payments', paymentFields(client, { invoiceId: invoice, reference: ATTRIBUTE }))).status, 'hostile payment');
  const payment = String((await latestRow(w, 'payments', w.accounts.northwind)).id);
  const settings = await nw.get(`${MOUNT}/settings`);
  const saved = await nw.postForm(`${MOUNT}/settings`, { _csrf: csrfOf(settings.text, 'settings-form'), clientsEnabled: 'on', nightlyTime: '02:30', timeZone: 'America/Chicago', defaultState: SHORT });
  ok(saved.status, 'hostile default state');
  // QuickBooks accounts with markup names: the settings page lists them in its pickers.
  w.world.sandbox.control.bulkLoad(w.world.companies.usPlus.realmId, 'Account', [
    { Name: SCRIPT, FullyQualifiedName: SCRIPT, AccountType: 'Income', Classification: 'Revenue', Active: true },
    { Name: ATTRIBUTE, FullyQualifiedName: ATTRIBUTE, AccountType: 'Bank', Classification: 'Asset', Active: true },
  ]);
  // A QuickBooks company may be called anything; the name is stored as Intuit sent it.
  await w.knex('qbo_connections').where({ account_id: w.accounts.bluebird }).update({ company_name: `${SCRIPT}${ATTRIBUTE}` });
  return { client, site, invoice, payment };
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

interface Visit {
  name: string;
  who: 'northwind' | 'bluebird';
  /** Opens the page (goto, or a form submitted the way a person does) and returns the HTTP status. */
  open: (page: Page, r: Records) => Promise<number>;
  /** Text the page must show as text (the markup is displayed, not dropped or run). */
  shows?: string;
}

const goto = async (page: Page, path: string): Promise<number> => (await page.goto(path))?.status() ?? 0;

const VISITS: Visit[] = [
  { name: 'the client list', who: 'northwind', open: (p) => goto(p, '/clients'), shows: SCRIPT },
  { name: 'the client page', who: 'northwind', open: (p, r) => goto(p, `/clients/${r.client}`), shows: ATTRIBUTE },
  { name: 'the client form (values in attributes)', who: 'northwind', open: (p, r) => goto(p, `/clients/${r.client}/edit`) },
  {
    name: 'the client form shown again after a refused save',
    who: 'northwind',
    open: async (p) => {
      await p.goto('/clients/new');
      await p.locator('#companyName').fill(ATTRIBUTE);
      await p.locator('#email').fill(SCRIPT);
      const [response] = await Promise.all([p.waitForResponse((res) => res.request().method() === 'POST'), p.locator('form button[type="submit"]').last().click()]);
      await p.waitForLoadState();
      return response.status();
    },
  },
  { name: 'the site list', who: 'northwind', open: (p) => goto(p, '/sites'), shows: ATTRIBUTE },
  { name: 'the site form', who: 'northwind', open: (p, r) => goto(p, `/clients/${r.client}/sites/${r.site}/edit`) },
  { name: 'the invoice list', who: 'northwind', open: (p) => goto(p, '/invoices'), shows: `${SHORT}-B` },
  { name: 'the invoice page', who: 'northwind', open: (p, r) => goto(p, `/invoices/${r.invoice}`), shows: SCRIPT },
  { name: 'the invoice form', who: 'northwind', open: (p, r) => goto(p, `/invoices/${r.invoice}/edit`) },
  { name: 'the invoice delete question', who: 'northwind', open: (p, r) => goto(p, `/invoices/${r.invoice}/delete`), shows: `${SHORT}-B` },
  { name: 'the new invoice form with a markup client id in the URL', who: 'northwind', open: (p) => goto(p, `/invoices/new?clientId=${encodeURIComponent(ATTRIBUTE)}`) },
  { name: 'the payment list', who: 'northwind', open: (p) => goto(p, '/payments'), shows: ATTRIBUTE },
  { name: 'the payment form', who: 'northwind', open: (p, r) => goto(p, `/payments/${r.payment}/edit`) },
  {
    name: 'the plugin’s settings page with markup QuickBooks account names',
    who: 'northwind',
    open: async (p) => {
      const status = await goto(p, `${MOUNT}/settings`);
      const options = await p.locator('select option').allTextContents();
      expect(options.some((o) => o.includes(SCRIPT)), 'the markup account is offered, as text').to.equal(true);
      return status;
    },
  },
  { name: 'the plugin’s connection page with a markup company name', who: 'bluebird', open: (p) => goto(p, `${MOUNT}/`), shows: SCRIPT },
  {
    name: 'the products import preview of markup names and file name',
    who: 'northwind',
    open: async (p) => {
      await p.goto(`${MOUNT}/import/products`);
      const csv = `Product/Service Name,Sales Price / Rate\r\n${SCRIPT},1\r\n"${ATTRIBUTE.replace(/"/g, '""')}",2\r\n${SHORT},3\r\nPlain,4\r\n`;
      await p.locator('#import-file').setInputFiles({ name: `${SHORT}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const [response] = await Promise.all([p.waitForResponse((res) => res.request().method() === 'POST'), p.locator('#upload-form button[type="submit"]').click()]);
      await p.waitForLoadState();
      return response.status();
    },
    shows: SCRIPT,
  },
  {
    name: 'the login page after a markup email and a javascript: return address',
    who: 'northwind',
    open: async (p) => {
      const fresh = await p.context().browser()?.newContext({ baseURL: new URL(p.url()).origin });
      if (!fresh) throw new Error('no browser');
      const page = await fresh.newPage();
      try {
        await page.goto(`/login?next=${encodeURIComponent('javascript:window.__pwned=1')}`);
        await page.getByLabel('Email').fill(ATTRIBUTE);
        await page.getByLabel('Password').fill('wrong');
        await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Sign in' }).click()]);
        await page.waitForLoadState();
        const flag = await page.evaluate('window.__pwned');
        expect(flag, 'the fresh login page ran no script').to.equal(undefined);
        await page.getByLabel('Password').fill('northwind-admin');
        await page.getByLabel('Email').fill('admin@northwind.test');
        await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
        expect(page.url().startsWith('http'), `signed in to ${page.url()}`).to.equal(true);
        expect(await page.evaluate('window.__pwned')).to.equal(undefined);
        return 200;
      } finally {
        await fresh.close();
      }
    },
  },
];

export function browserCases(world: () => BadInputWorld): void {
  describe('pages showing hostile names run no injected script in Chromium', function () {
    let browser: Browser | undefined;
    const contexts: Record<'northwind' | 'bluebird', BrowserContext | undefined> = { northwind: undefined, bluebird: undefined };
    let records: Records | undefined;

    before(async function () {
      this.timeout(90_000);
      const w = world();
      records = await plantHostileRecords(w);
      browser = await launchChromium();
      for (const [who, email, password] of [
        ['northwind', 'admin@northwind.test', 'northwind-admin'],
        ['bluebird', 'admin@bluebird.test', 'bluebird-admin'],
      ] as const) {
        const context = await browser.newContext({ baseURL: w.baseUrl });
        context.setDefaultTimeout(10_000);
        const page = await context.newPage();
        await signIn(page, email, password);
        await page.close();
        contexts[who] = context;
      }
    });

    after(async () => {
      await browser?.close();
    });

    // The detector itself: markup that does run is seen (the flag is set, the dialog counted).
    badCase('browser: the detector sees injected markup that runs', async () => {
      const context = contexts.northwind;
      if (!context) throw new Error('the browser starts in the before hook');
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      try {
        await page.setContent(`<p>${SCRIPT}${ATTRIBUTE}</p>`);
        await page.waitForFunction('document.querySelector("img") !== null && document.querySelector("img").complete');
        await page.waitForTimeout(100);
        expect(await page.evaluate('window.__pwned')).to.equal(1);
        expect(dialogs).to.deep.equal(['1']);
      } finally {
        await page.close();
      }
    });

    for (const visit of VISITS) {
      badCase(`browser: ${visit.name}`, async () => {
        const w = world();
        const context = contexts[visit.who];
        if (!context || !records) throw new Error('the browser starts in the before hook');
        const page = await context.newPage();
        const dialogs: string[] = [];
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        try {
          await page.goto('/clients');
          const status = await visit.open(page, records);
          expect(status, `${visit.name}: status`).to.be.within(200, 499);
          expect(await page.evaluate('window.__pwned'), `${visit.name}: window.__pwned`).to.equal(undefined);
          expect(dialogs, `${visit.name}: dialogs`).to.deep.equal([]);
          if (visit.shows) expect(await page.locator('body').innerText(), `${visit.name}: the markup is shown as text`).to.include(visit.shows);
          expect(w.world.errors, `${visit.name}: server errors`).to.deep.equal([]);
        } finally {
          await page.close();
        }
      }, 30_000);
    }
  });
}
