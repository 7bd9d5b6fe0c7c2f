import { expect } from 'chai';
import request from 'supertest';
import { SETTINGS_TEXTS } from '../../plugin/messages';
import type { SettingsRow } from '../../plugin/persistence/settings-repository';
import { asHtml } from './connect-sandbox-support';
import { agentFor, formToken, MOUNT, noticeOf, useAdminPagesWorld, type Agent } from './admin-pages-support';

/**
 * The sync settings page through the stand-in, the plugin and the QBO sandbox: account pickers filled from
 * the company's chart of accounts, every tampered value refused with a message (422) and nothing saved.
 */

const SETTINGS = `${MOUNT}/settings`;

const VALID = {
  clientsEnabled: 'on',
  invoicesEnabled: 'on',
  paymentsEnabled: 'on',
  incomeAccountId: '1',
  expenseAccountId: '11',
  depositAccountId: '2',
  defaultState: 'IL',
  defaultCountry: 'us',
  fillSiteFromClient: 'on',
  nightlyTime: '03:15',
  timeZone: 'america/chicago',
};

/** The options of a select on the page, as "value=label". */
function optionsOf(html: string, id: string): string[] {
  const select = new RegExp(`<select id="${id}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].filter((m) => m[1] !== '').map((m) => `${m[1]}=${m[2]}`);
}

describe('sync settings page (stand-in + plugin + QBO sandbox over real HTTP)', function () {
  this.timeout(30_000);
  const suite = useAdminPagesWorld();

  async function settingsRow(account: 'northwind' | 'bluebird'): Promise<SettingsRow | null> {
    return (await suite.world.knex<SettingsRow>('qbo_settings').where({ account_id: suite.world.accounts[account] }).first()) ?? null;
  }

  /** Load the form (for its token), post `fields` (an empty one is left out, as an unticked box is), expect `status`. */
  async function save(agent: Agent, fields: Record<string, string>, status: number, token?: string) {
    const page = await agent.get(SETTINGS).expect(200);
    const posted = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
    return agent.post(SETTINGS).type('form').send({ _csrf: token ?? formToken(page.text, 'settings-form'), ...posted }).expect(status);
  }

  beforeEach(async () => {
    await suite.world.knex('qbo_settings').delete();
  });

  it('refuses staff (403) on every settings route, and sends anonymous visitors to the login page', async () => {
    const staff = await agentFor(suite.world, 'northwindStaff');
    await staff.get(SETTINGS).expect(403);
    await staff.post(SETTINGS).type('form').send(VALID).expect(403);
    await staff.get(`${MOUNT}/assets/qbo.css`).expect(403);
    const response = await request(suite.world.workUrl).get(SETTINGS).expect(303);
    expect(response.headers['location']).to.match(/^\/login\?next=/);
    expect(await settingsRow('northwind')).to.equal(null);
  });

  it('shows the form inside Work\'s layout, the pickers filled from the company and filtered by account type', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const page = await admin.get(SETTINGS).expect(200);
    expect(page.text).to.contain('<title>QuickBooks Online · Settings · Work</title>');
    expect(page.text).to.contain('id="nav-quickbooks"');
    expect(page.text).to.contain(`<link rel="stylesheet" href="${MOUNT}/assets/qbo.css">`);
    expect(page.text).to.match(/<a href="[^"]+\/settings" aria-current="page">Settings<\/a>/);
    expect(optionsOf(page.text, 'setting-incomeAccountId')).to.deep.equal(['5=Fees Billed (Income)', '6=Sales of Product Income (Income)', '1=Services (Income)']);
    expect(optionsOf(page.text, 'setting-expenseAccountId')).to.deep.equal(['10=Cost of Goods Sold (Cost of Goods Sold)', '11=Job Expenses (Expense)', '12=Office Expenses (Expense)']);
    expect(optionsOf(page.text, 'setting-depositAccountId')).to.deep.equal([
      '2=Checking (Bank)', '8=Inventory Asset (Other Current Asset)', '9=Prepaid Expenses (Other Current Asset)', '3=Savings (Bank)', '4=Undeposited Funds (Other Current Asset)',
    ]);
    expect(page.text, 'a US company gets no tax code pickers').to.not.contain('setting-taxableTaxCodeId');
    // Every field has a label tied to it.
    for (const id of ['clientsEnabled', 'invoicesEnabled', 'paymentsEnabled', 'incomeAccountId', 'defaultState', 'nightlyTime', 'timeZone']) {
      expect(page.text).to.contain(`<label for="setting-${id}">`);
    }
    const css = await admin.get(`${MOUNT}/assets/qbo.css`).expect(200);
    expect(css.headers['content-type']).to.match(/^text\/css/);
  });

  it('saves a valid form in one go, records when invoice and payment sync were turned on, and keeps that moment on later saves', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const saved = await save(admin, VALID, 303);
    expect(saved.headers['location']).to.equal(`${SETTINGS}?notice=saved`);
    const row = await settingsRow('northwind');
    const now = suite.world.pluginClock();
    expect(row).to.deep.include({
      clients_enabled: true, invoices_enabled: true, payments_enabled: true, income_account_qbo_id: '1', expense_account_qbo_id: '11', deposit_account_qbo_id: '2',
      default_state: 'IL', default_country: 'US', fill_site_from_client: true, nightly_sync_time: '03:15', nightly_time_zone: 'America/Chicago', taxable_tax_code_qbo_id: null,
    });
    expect(Math.abs((row?.invoices_enabled_at?.getTime() ?? 0) - now.getTime())).to.be.below(60_000);
    const page = await admin.get(`${SETTINGS}?notice=saved`).expect(200);
    expect(noticeOf(page.text)).to.equal(SETTINGS_TEXTS.saved);
    expect(page.text).to.contain('Invoices created or changed since ');

    await save(admin, { ...VALID, defaultState: 'WI' }, 303);
    const again = await settingsRow('northwind');
    expect(again?.invoices_enabled_at?.getTime(), 'kept while invoices stay on').to.equal(row?.invoices_enabled_at?.getTime());
    expect(again?.default_state).to.equal('WI');

    const { paymentsEnabled: _p, invoicesEnabled: _i, ...off } = VALID;
    await save(admin, off, 303);
    expect(await settingsRow('northwind')).to.deep.include({ invoices_enabled: false, invoices_enabled_at: null, payments_enabled: false, payments_enabled_at: null });
    expect(await settingsRow('bluebird'), 'another account is untouched').to.equal(null);
  });

  const TAMPERED: [string, Record<string, string>, string, string][] = [
    ['payments on without invoices', { invoicesEnabled: '' }, 'setting-paymentsEnabled', SETTINGS_TEXTS.problems.paymentsNeedInvoices],
    ['an unknown account id', { incomeAccountId: '999' }, 'setting-incomeAccountId', SETTINGS_TEXTS.problems.unknownAccount(SETTINGS_TEXTS.incomeAccount)],
    ['an account of the wrong type (A/R as deposit)', { depositAccountId: '7' }, 'setting-depositAccountId', SETTINGS_TEXTS.problems.wrongAccountType(SETTINGS_TEXTS.depositAccount, 'Bank or Other Current Asset')],
    ['an income account for expenses', { expenseAccountId: '1' }, 'setting-expenseAccountId', SETTINGS_TEXTS.problems.wrongAccountType(SETTINGS_TEXTS.expenseAccount, 'Expense or Cost of Goods Sold')],
    ['another company\'s account id', { incomeAccountId: 'OTHER' }, 'setting-incomeAccountId', SETTINGS_TEXTS.problems.unknownAccount(SETTINGS_TEXTS.incomeAccount)],
    ['a time zone Intl does not know', { timeZone: 'Mars/Olympus_Mons' }, 'setting-timeZone', SETTINGS_TEXTS.problems.badTimeZone],
    ['a time zone with markup', { timeZone: '<script>x</script>' }, 'setting-timeZone', SETTINGS_TEXTS.problems.badTimeZone],
    ['an impossible time', { nightlyTime: '25:00' }, 'setting-nightlyTime', SETTINGS_TEXTS.problems.badTime],
    ['a three-letter country', { defaultCountry: 'USA' }, 'setting-defaultCountry', SETTINGS_TEXTS.problems.badCountry],
    ['a switch with an odd value', { clientsEnabled: 'yes' }, 'settings-form', SETTINGS_TEXTS.problems.badToggle],
    ['a tax code on a US company', { taxableTaxCodeId: '2' }, 'settings-form', SETTINGS_TEXTS.problems.unknownTaxCode(SETTINGS_TEXTS.taxableCode)],
    ['invoices on without an income account', { incomeAccountId: '' }, 'setting-incomeAccountId', SETTINGS_TEXTS.problems.requiredAccount(SETTINGS_TEXTS.incomeAccount)],
    ['payments on without a deposit account', { depositAccountId: '' }, 'setting-depositAccountId', SETTINGS_TEXTS.problems.requiredAccount(SETTINGS_TEXTS.depositAccount)],
  ];
  for (const [what, change, fieldId, message] of TAMPERED) {
    it(`refuses ${what} with a message (422) and saves nothing`, async () => {
      const admin = await agentFor(suite.world, 'northwindAdmin');
      await save(admin, { ...VALID, paymentsEnabled: '', invoicesEnabled: '', defaultState: 'KEEP' }, 303);
      const before = await settingsRow('northwind');
      let fields: Record<string, string> = { ...VALID, ...change };
      if (change['incomeAccountId'] === 'OTHER') {
        // An income account that exists only in Bluebird's (Canadian) company.
        const [other] = suite.world.sandbox.store.bulkLoad(suite.world.companies.caEssentials.realmId, 'Account', [
          { Name: `Other company income ${Date.now()}`, AccountType: 'Income', Active: true, Classification: 'Revenue' },
        ]);
        fields = { ...fields, incomeAccountId: String(other?.['Id']) };
      }
      const refused = await save(admin, fields, 422);
      expect(refused.text).to.contain(asHtml(SETTINGS_TEXTS.errorsIntro));
      expect(refused.text).to.contain(`<a href="#${fieldId}">${asHtml(message)}</a>`);
      if (fieldId !== 'settings-form') expect(refused.text).to.match(new RegExp(`id="${fieldId}"[^>]*aria-invalid="true"`));
      expect(refused.text, 'no raw markup echoed').to.not.contain('<script>x</script>');
      expect(await settingsRow('northwind')).to.deep.equal(before);
    });
  }

  it('refuses a form without its CSRF token, or with a token of another browser (403), saving nothing', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    await admin.get(SETTINGS).expect(200);
    const missing = await admin.post(SETTINGS).type('form').send(VALID).expect(403);
    expect(noticeOf(missing.text)).to.equal(asHtml(SETTINGS_TEXTS.formExpired));
    const other = await agentFor(suite.world, 'northwindAdmin');
    const otherToken = formToken((await other.get(SETTINGS).expect(200)).text, 'settings-form');
    await save(admin, VALID, 403, otherToken);
    const bluebird = await agentFor(suite.world, 'bluebirdAdmin');
    const bluebirdToken = formToken((await bluebird.get(SETTINGS).expect(200)).text, 'settings-form');
    await save(admin, VALID, 403, bluebirdToken);
    expect(await settingsRow('northwind')).to.equal(null);
  });

  it('offers a Canadian company its tax codes and requires them once invoices are pushed', async () => {
    const admin = await agentFor(suite.world, 'bluebirdAdmin');
    const page = await admin.get(SETTINGS).expect(200);
    expect(optionsOf(page.text, 'setting-taxableTaxCodeId')).to.deep.equal(['2=Exempt', '3=Zero-rated', '4=GST', '5=HST ON', '6=GST/PST BC']);
    const { paymentsEnabled: _p, ...invoicesOnly } = VALID;
    const refused = await save(admin, invoicesOnly, 422);
    expect(refused.text).to.contain(asHtml(SETTINGS_TEXTS.problems.requiredTaxCode(SETTINGS_TEXTS.taxableCode)));
    await save(admin, { ...invoicesOnly, taxableTaxCodeId: '99', nonTaxableTaxCodeId: '2' }, 422);
    expect(await settingsRow('bluebird')).to.equal(null);
    await save(admin, { ...invoicesOnly, taxableTaxCodeId: '4', nonTaxableTaxCodeId: '2' }, 303);
    expect(await settingsRow('bluebird')).to.deep.include({ taxable_tax_code_qbo_id: '4', non_taxable_tax_code_qbo_id: '2', invoices_enabled: true });
  });

  it('says when QuickBooks cannot be read, and saves nothing', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const token = formToken((await admin.get(SETTINGS).expect(200)).text, 'settings-form');
    suite.world.sandbox.control.armFault({ kind: '500', count: 20, path: '/query$', realmId: suite.world.companies.usPlus.realmId });
    try {
      const refused = await admin.post(SETTINGS).type('form').send({ _csrf: token, ...VALID }).expect(502);
      expect(noticeOf(refused.text)).to.equal(asHtml(SETTINGS_TEXTS.qboUnreachable));
    } finally {
      suite.world.sandbox.control.clearFaults();
    }
    expect(await settingsRow('northwind')).to.equal(null);
  });

  it('tells an account that is not connected to connect first, and refuses to save (409)', async () => {
    const connection = await suite.world.knex('qbo_connections').where({ account_id: suite.world.accounts.bluebird }).first<Record<string, unknown>>();
    await suite.world.knex('qbo_connections').where({ account_id: suite.world.accounts.bluebird }).update({ status: 'disconnected', access_token_enc: null, refresh_token_enc: null, disconnected_at: new Date() });
    try {
      const admin = await agentFor(suite.world, 'bluebirdAdmin');
      const page = await admin.get(SETTINGS).expect(200);
      expect(noticeOf(page.text)).to.equal(asHtml(SETTINGS_TEXTS.notConnected));
      expect(page.text).to.not.contain('id="settings-form"');
      await admin.post(SETTINGS).type('form').send({ _csrf: 'x', ...VALID }).expect(403);
      // The plugin's token for this browser and account (the import page has a form) passes CSRF, then 409.
      const token = formToken((await admin.get(`${MOUNT}/import/products`).expect(200)).text, 'upload-form');
      const refused = await admin.post(SETTINGS).type('form').send({ _csrf: token, ...VALID }).expect(409);
      expect(noticeOf(refused.text)).to.equal(asHtml(SETTINGS_TEXTS.notConnected));
    } finally {
      await suite.world.knex('qbo_connections').where({ account_id: suite.world.accounts.bluebird }).update(connection ?? {});
    }
    expect(await settingsRow('bluebird')).to.equal(null);
  });
});
