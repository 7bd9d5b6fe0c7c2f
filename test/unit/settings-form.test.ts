import { expect } from 'chai';
import { SETTINGS_TEXTS } from '../../plugin/messages';
import type { CompanyLists } from '../../plugin/qbo/company-lists';
import { canonicalTimeZone, readSettingsForm } from '../../plugin/web/settings-form';

const LISTS: CompanyLists = {
  accounts: [
    { Id: '1', SyncToken: '0', Name: 'Services', AccountType: 'Income' },
    { Id: '2', SyncToken: '0', Name: 'Checking', AccountType: 'Bank' },
    { Id: '11', SyncToken: '0', Name: 'Job Expenses', AccountType: 'Expense' },
  ],
  taxCodes: [
    { Id: '2', SyncToken: '0', Name: 'Exempt' },
    { Id: '4', SyncToken: '0', Name: 'GST' },
  ],
};

const BASE = { clientsEnabled: 'on', invoicesEnabled: 'on', incomeAccountId: '1', nightlyTime: '02:00', timeZone: 'UTC', taxableTaxCodeId: '4', nonTaxableTaxCodeId: '2' };

describe('settings form (pure validation)', () => {
  it('knows IANA zones through Intl, in their canonical spelling, and refuses anything else', () => {
    expect(canonicalTimeZone('america/chicago')).to.equal('America/Chicago');
    expect(canonicalTimeZone('UTC')).to.equal('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).to.equal('Asia/Kolkata');
    for (const bad of ['Mars/Base', '', '+05:00', 'America/Chicago; DROP', '../etc/passwd', 'A'.repeat(300)]) expect(canonicalTimeZone(bad), bad).to.equal(null);
  });

  it('reads a complete form for a Canadian company into one choice', () => {
    const result = readSettingsForm(BASE, LISTS, { usCompany: false });
    expect(result.ok && result.choice).to.deep.equal({
      clientsEnabled: true, invoicesEnabled: true, paymentsEnabled: false, incomeAccountId: '1', expenseAccountId: null, depositAccountId: null,
      taxableTaxCodeId: '4', nonTaxableTaxCodeId: '2', defaultState: null, defaultCountry: null, fillSiteFromClient: false, nightlyTime: '02:00', timeZone: 'UTC',
    });
  });

  it('refuses a repeated field (an array) as a tampered form', () => {
    const result = readSettingsForm({ ...BASE, incomeAccountId: ['1', '2'] }, LISTS, { usCompany: false });
    expect(result.ok ? null : result.problems).to.deep.equal({ form: SETTINGS_TEXTS.problems.badToggle });
  });

  it('names an overlong value or a control character in its own field (not "a switch")', () => {
    const long = readSettingsForm({ ...BASE, defaultState: 'x'.repeat(201) }, LISTS, { usCompany: false });
    expect(long.ok ? null : long.problems).to.deep.equal({ defaultState: SETTINGS_TEXTS.problems.tooLong(SETTINGS_TEXTS.defaultState, 30) });
    for (const state of ['T\u0000X', 'T\tX', 'T\nX']) {
      const control = readSettingsForm({ ...BASE, defaultState: state }, LISTS, { usCompany: false });
      expect(control.ok ? null : control.problems, JSON.stringify(state)).to.deep.equal({ defaultState: SETTINGS_TEXTS.problems.controlCharacter(SETTINGS_TEXTS.defaultState) });
    }
  });

  it('refuses an unknown tax code and requires both once invoices are on (non-US)', () => {
    const unknown = readSettingsForm({ ...BASE, taxableTaxCodeId: 'TAX' }, LISTS, { usCompany: false });
    expect(unknown.ok ? null : unknown.problems).to.deep.equal({ taxableTaxCodeId: SETTINGS_TEXTS.problems.unknownTaxCode(SETTINGS_TEXTS.taxableCode) });
    const { nonTaxableTaxCodeId: _e, ...missing } = BASE;
    const required = readSettingsForm(missing, LISTS, { usCompany: false });
    expect(required.ok ? null : required.problems).to.deep.equal({ nonTaxableTaxCodeId: SETTINGS_TEXTS.problems.requiredTaxCode(SETTINGS_TEXTS.exemptCode) });
  });

  it('reports every problem of a form at once, and keeps what was typed for the page', () => {
    const result = readSettingsForm({ paymentsEnabled: 'on', depositAccountId: '11', nightlyTime: '7pm', timeZone: 'Nowhere', defaultCountry: 'usa' }, LISTS, { usCompany: true });
    expect(result.ok).to.equal(false);
    expect(result.ok ? [] : Object.keys(result.problems).sort()).to.deep.equal(['defaultCountry', 'depositAccountId', 'nightlyTime', 'paymentsEnabled', 'timeZone']);
    expect(result.values).to.deep.include({ nightlyTime: '7pm', timeZone: 'Nowhere', defaultCountry: 'USA', depositAccountId: '11' });
  });
});
