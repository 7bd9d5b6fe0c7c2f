import { expect } from 'chai';
import { messages } from '../../../dev/host/web/messages';
import { SETTINGS_TEXTS } from '../../../plugin/messages';
import { expectClean, expectEscaped, expectMessage, expectNothingWritten } from '../checks';
import { badCase } from '../ledger';
import { HOSTILE_NAMES, textOutcome } from '../values';
import { Client, MOUNT, csrfOf, type Answer, type BadInputWorld } from '../world';
import { clientFields, firstId, invoiceFields, latestRow, paymentFields, siteFields, submitWorkForm } from './form-support';

interface TextField {
  name: string;
  label: string;
  max: number;
  column: string;
}

const ADDRESS: TextField[] = [
  { name: 'line1', label: 'Address line 1', max: 500, column: 'address_line1' },
  { name: 'line2', label: 'Address line 2', max: 500, column: 'address_line2' },
  { name: 'city', label: 'City', max: 100, column: 'city' },
  { name: 'state', label: 'State', max: 100, column: 'state' },
  { name: 'postalCode', label: 'Postal code', max: 30, column: 'postal_code' },
  { name: 'country', label: 'Country', max: 100, column: 'country' },
];

const CLIENT_TEXT: TextField[] = [
  { name: 'companyName', label: 'Company name', max: 255, column: 'company_name' },
  { name: 'firstName', label: 'First name', max: 100, column: 'first_name' },
  { name: 'lastName', label: 'Last name', max: 100, column: 'last_name' },
  { name: 'phone', label: 'Phone', max: 50, column: 'phone' },
  { name: 'notes', label: 'Notes', max: 2000, column: 'notes' },
  ...ADDRESS,
];

const SITE_TEXT: TextField[] = [
  { name: 'name', label: 'Site name', max: 255, column: 'name' },
  { name: 'contactName', label: 'Contact name', max: 200, column: 'contact_name' },
  { name: 'phone', label: 'Phone', max: 50, column: 'phone' },
  ...ADDRESS,
];

/**
 * One hostile value in one field of a Work form: refused with the field's message and nothing written, or
 * stored exactly and shown escaped on the record's page.
 */
async function hostileWorkField(
  w: BadInputWorld,
  label: string,
  field: TextField,
  value: string,
  post: () => Promise<Answer>,
  stored: () => Promise<unknown>,
  showPath: (answer: Answer) => string,
): Promise<void> {
  const expected = textOutcome(value, field.max);
  if (!expected.ok) {
    const answer = await expectNothingWritten(w.knex, label, post);
    expectClean(w, answer, label);
    expect(answer.status, `${label}: status`).to.equal(422);
    expectMessage(answer, expected.reason === 'nul' ? messages.nulCharacter : messages.tooLong(field.label, field.max), label);
    expectEscaped(answer, value, label);
    return;
  }
  const answer = await post();
  expectClean(w, answer, label);
  expect(answer.status, `${label}: status`).to.equal(303);
  expect(await stored(), `${label}: stored exactly`).to.equal(expected.stored);
  const page = await w.clients.northwindAdmin.get(showPath(answer));
  expectClean(w, page, `${label} (page)`);
  expect(page.status, `${label}: the page showing it`).to.equal(200);
  expectEscaped(page, value, `${label} (page)`);
}

export function hostileNameCases(world: () => BadInputWorld): void {
  describe('hostile names in every text field of Work’s forms', () => {
    for (const field of CLIENT_TEXT) {
      for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
        badCase(`hostile-names: client ${field.name} ← ${kind}`, async () => {
          const w = world();
          const admin = w.clients.northwindAdmin;
          await hostileWorkField(
            w,
            `client ${field.name} ← ${kind}`,
            field,
            value,
            () => submitWorkForm(admin, '/clients/new', '/clients', clientFields({ [field.name]: value })),
            async () => (await latestRow(w, 'clients', w.accounts.northwind))[field.column],
            (answer) => answer.location ?? '/clients',
          );
        });
      }
    }
    for (const field of SITE_TEXT) {
      for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
        badCase(`hostile-names: site ${field.name} ← ${kind}`, async () => {
          const w = world();
          const clientId = await firstId(w, 'clients', w.accounts.northwind);
          await hostileWorkField(
            w,
            `site ${field.name} ← ${kind}`,
            field,
            value,
            () => submitWorkForm(w.clients.northwindAdmin, `/clients/${clientId}/sites/new`, `/clients/${clientId}/sites`, siteFields({ [field.name]: value })),
            async () => (await latestRow(w, 'sites', w.accounts.northwind))[field.column],
            () => '/sites',
          );
        });
      }
    }
    const invoiceText: (TextField & { form: string })[] = [
      { name: 'number', label: 'Invoice number', max: 50, column: 'number', form: 'number' },
      { name: 'notes', label: 'Notes', max: 2000, column: 'notes', form: 'notes' },
      { name: 'description', label: 'Description', max: 1000, column: 'description', form: 'lines[0][description]' },
    ];
    for (const field of invoiceText) {
      for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
        badCase(`hostile-names: invoice ${field.name} ← ${kind}`, async () => {
          const w = world();
          const clientId = await firstId(w, 'clients', w.accounts.northwind);
          const expected = textOutcome(value, field.max);
          // A line's message names the line ("Line 1: …").
          const lineField = field.name === 'description';
          const tooLong = lineField ? messages.lineProblem(1, messages.tooLong(field.label, field.max)) : messages.tooLong(field.label, field.max);
          const nul = lineField ? messages.lineProblem(1, messages.nulCharacter) : messages.nulCharacter;
          const label = `invoice ${field.name} ← ${kind}`;
          const post = () => submitWorkForm(w.clients.northwindAdmin, '/invoices/new', '/invoices', invoiceFields(clientId, { [field.form]: value }));
          if (!expected.ok) {
            const answer = await expectNothingWritten(w.knex, label, post);
            expectClean(w, answer, label);
            expect(answer.status, `${label}: status`).to.equal(422);
            expectMessage(answer, expected.reason === 'nul' ? nul : tooLong, label);
            expectEscaped(answer, value, label);
            return;
          }
          const answer = await post();
          expectClean(w, answer, label);
          expect(answer.status, `${label}: status`).to.equal(303);
          const invoice = await latestRow(w, 'invoices', w.accounts.northwind);
          const stored = lineField ? ((await w.knex('invoice_lines').where({ invoice_id: invoice.id }).first('description')) as { description: string }).description : invoice[field.column];
          expect(stored, `${label}: stored exactly`).to.equal(expected.stored);
          const page = await w.clients.northwindAdmin.get(answer.location ?? '/invoices');
          expectClean(w, page, `${label} (page)`);
          expect(page.status).to.equal(200);
          expectEscaped(page, value, `${label} (page)`);
        });
      }
    }
    for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
      badCase(`hostile-names: payment reference ← ${kind}`, async () => {
        const w = world();
        const clientId = await firstId(w, 'clients', w.accounts.northwind);
        await hostileWorkField(
          w,
          `payment reference ← ${kind}`,
          { name: 'reference', label: 'Reference', max: 100, column: 'reference' },
          value,
          () => submitWorkForm(w.clients.northwindAdmin, '/payments/new', '/payments', paymentFields(clientId, { reference: value })),
          async () => (await latestRow(w, 'payments', w.accounts.northwind)).reference,
          () => '/payments',
        );
      });
    }
    for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
      badCase(`hostile-names: login email ← ${kind}`, async () => {
        const w = world();
        const label = `login email ← ${kind}`;
        const visitor = new Client(w.baseUrl);
        const answer = await expectNothingWritten(w.knex, label, () => submitWorkForm(visitor, '/login', '/login', { email: value, password: 'northwind-admin', next: '/clients' }));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(401);
        expectMessage(answer, messages.loginFailed, label);
        expectEscaped(answer, value, label);
      });
    }
  });

  describe('hostile names when editing a client (the stored client is kept when refused)', () => {
    let clientId = '';
    before(async () => {
      const w = world();
      const created = await submitWorkForm(w.clients.northwindAdmin, '/clients/new', '/clients', clientFields({ companyName: 'Edited by hostile cases' }));
      expect(created.status).to.equal(303);
      clientId = String((await latestRow(w, 'clients', w.accounts.northwind)).id);
    });
    for (const field of CLIENT_TEXT) {
      for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
        badCase(`hostile-names: client edit ${field.name} ← ${kind}`, async () => {
          const w = world();
          const label = `client edit ${field.name} ← ${kind}`;
          const row = () => w.knex('clients').where({ id: clientId }).first() as Promise<Record<string, unknown>>;
          const before = JSON.stringify(await row());
          const post = () => submitWorkForm(w.clients.northwindAdmin, `/clients/${clientId}/edit`, `/clients/${clientId}`, clientFields({ companyName: 'Edited by hostile cases', [field.name]: value }));
          const expected = textOutcome(value, field.max);
          if (!expected.ok) {
            const answer = await expectNothingWritten(w.knex, label, post);
            expectClean(w, answer, label);
            expect(answer.status, `${label}: status`).to.equal(422);
            expectMessage(answer, expected.reason === 'nul' ? messages.nulCharacter : messages.tooLong(field.label, field.max), label);
            expect(JSON.stringify(await row()), `${label}: the client is unchanged`).to.equal(before);
            return;
          }
          const answer = await post();
          expectClean(w, answer, label);
          expect(answer.status, `${label}: status`).to.equal(303);
          expect((await row())[field.column], `${label}: stored exactly`).to.equal(expected.stored);
          const form = await w.clients.northwindAdmin.get(`/clients/${clientId}/edit`);
          expectClean(w, form, `${label} (form)`);
          expectEscaped(form, value, `${label} (form)`);
        });
      }
    }
  });

  describe('over-long sign-in values', () => {
    for (const [kind, fields] of [
      ['a 1,001-character password', { email: 'admin@northwind.test', password: 'p'.repeat(1001) }],
      ['a 100,000-character password', { email: 'admin@northwind.test', password: 'p'.repeat(100_000) }],
      ['a 255-character email', { email: `${'a'.repeat(243)}@northwind.test`, password: 'northwind-admin' }],
    ] as const) {
      badCase(`hostile-names: login with ${kind}`, async () => {
        const w = world();
        const label = `login with ${kind}`;
        const answer = await expectNothingWritten(w.knex, label, () => submitWorkForm(new Client(w.baseUrl), '/login', '/login', { ...fields, next: '/clients' }));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(401);
        expectMessage(answer, messages.loginFailed, label);
      });
    }
  });

  describe('return addresses after sign-in that lead elsewhere', () => {
    for (const next of ['//evil.test/x', '/\\evil.test', 'https://evil.test/', '/\t/evil.test', 'javascript:window.__pwned=1', '/%2F%2Fevil.test', ' //evil.test', '/\u0000//evil.test']) {
      badCase(`hostile-names: sign-in with next=${JSON.stringify(next)} stays on this site`, async () => {
        const w = world();
        const label = `next ${JSON.stringify(next)}`;
        const answer = await submitWorkForm(new Client(w.baseUrl), '/login', '/login', { email: 'office@northwind.test', password: 'northwind-office', next });
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(303);
        const target = new URL(answer.location ?? '', w.baseUrl);
        expect(target.origin, `${label}: ${answer.location ?? ''}`).to.equal(new URL(w.baseUrl).origin);
        expect(answer.location ?? '', `${label}: a path of this site`).to.match(/^\/(?![/\\])/);
      });
    }
  });

  describe('hostile names in the plugin’s settings form', () => {
    const MAX_STATE = 30;
    const fields: { name: string; refusal: (value: string) => string | null }[] = [
      {
        name: 'defaultState',
        // A state is a short code or name: control characters (NUL, tab, line breaks) are refused, the rest stored.
        refusal: (v) => {
          // eslint-disable-next-line no-control-regex -- control characters are what this looks for
          if (/[\u0000-\u001f\u007f]/.test(v.trim())) return SETTINGS_TEXTS.problems.controlCharacter(SETTINGS_TEXTS.defaultState);
          return textOutcome(v, MAX_STATE).ok ? null : SETTINGS_TEXTS.problems.tooLong(SETTINGS_TEXTS.defaultState, MAX_STATE);
        },
      },
      { name: 'defaultCountry', refusal: () => SETTINGS_TEXTS.problems.badCountry },
      { name: 'nightlyTime', refusal: () => SETTINGS_TEXTS.problems.badTime },
      { name: 'timeZone', refusal: () => SETTINGS_TEXTS.problems.badTimeZone },
      { name: 'incomeAccountId', refusal: () => SETTINGS_TEXTS.problems.unknownAccount(SETTINGS_TEXTS.incomeAccount) },
    ];
    for (const field of fields) {
      for (const [kind, value] of Object.entries(HOSTILE_NAMES)) {
        badCase(`hostile-names: settings ${field.name} ← ${kind}`, async () => {
          const w = world();
          const label = `settings ${field.name} ← ${kind}`;
          const admin = w.clients.northwindAdmin;
          const page = await admin.get(`${MOUNT}/settings`);
          expect(page.status, 'settings page').to.equal(200);
          const form = { _csrf: csrfOf(page.text, 'settings-form'), clientsEnabled: 'on', nightlyTime: '02:30', timeZone: 'America/Chicago', defaultState: 'TX', defaultCountry: 'US', [field.name]: value };
          const where = { account_id: w.accounts.northwind };
          const before = JSON.stringify(await w.knex('qbo_settings').where(where).first());
          const refusal = field.refusal(value);
          const answer = await admin.postForm(`${MOUNT}/settings`, form);
          expectClean(w, answer, label);
          if (refusal !== null) {
            expect(answer.status, `${label}: status`).to.equal(422);
            expectMessage(answer, refusal, label);
            expectEscaped(answer, value, label);
            expect(JSON.stringify(await w.knex('qbo_settings').where(where).first()), `${label}: settings unchanged`).to.equal(before);
            return;
          }
          expect(answer.status, `${label}: status`).to.equal(303);
          const row = (await w.knex('qbo_settings').where(where).first()) as { default_state: string };
          expect(row.default_state, `${label}: stored exactly`).to.equal(value.trim());
          const shown = await admin.get(`${MOUNT}/settings`);
          expectClean(w, shown, `${label} (page)`);
          expectEscaped(shown, value, `${label} (page)`);
        });
      }
    }
  });
}
