import { z } from 'zod';
import { SETTINGS_TEXTS } from '../messages';
import type { CompanyLists } from '../qbo/company-lists';
import type { SettingsChoice, SyncSettings } from '../sync/sync-settings';

/** The settings form's fields as the browser posts them (checkboxes: "on" or absent). */
export interface SettingsFormValues {
  clientsEnabled: boolean;
  invoicesEnabled: boolean;
  paymentsEnabled: boolean;
  incomeAccountId: string;
  expenseAccountId: string;
  depositAccountId: string;
  taxableTaxCodeId: string;
  nonTaxableTaxCodeId: string;
  defaultState: string;
  defaultCountry: string;
  fillSiteFromClient: boolean;
  nightlyTime: string;
  timeZone: string;
}

export type SettingsField = keyof SettingsFormValues;
export type SettingsProblems = Partial<Record<SettingsField | 'form', string>>;

/** Which QuickBooks account types each picker offers (and accepts back). */
export const ACCOUNT_PICKERS = {
  incomeAccountId: { label: SETTINGS_TEXTS.incomeAccount, types: ['Income'] },
  expenseAccountId: { label: SETTINGS_TEXTS.expenseAccount, types: ['Expense', 'Cost of Goods Sold'] },
  depositAccountId: { label: SETTINGS_TEXTS.depositAccount, types: ['Bank', 'Other Current Asset'] },
} as const;
export type AccountPicker = keyof typeof ACCOUNT_PICKERS;

export const TAX_CODE_PICKERS = {
  taxableTaxCodeId: { label: SETTINGS_TEXTS.taxableCode },
  nonTaxableTaxCodeId: { label: SETTINGS_TEXTS.exemptCode },
} as const;
export type TaxCodePicker = keyof typeof TAX_CODE_PICKERS;

// The router's body limit (10 kB) bounds every value; each field's own check below names an overlong one.
const field = z.string().optional();
// Unknown keys are dropped; a repeated key (an array) fails the whole form.
const postedSchema = z.object({
  clientsEnabled: field,
  invoicesEnabled: field,
  paymentsEnabled: field,
  incomeAccountId: field,
  expenseAccountId: field,
  depositAccountId: field,
  taxableTaxCodeId: field,
  nonTaxableTaxCodeId: field,
  defaultState: field,
  defaultCountry: field,
  fillSiteFromClient: field,
  nightlyTime: field,
  timeZone: field,
});

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const COUNTRY = /^[A-Z]{2}$/;
const MAX_STATE = 30;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The IANA name of a time zone, or null when Intl does not know it. Intl's spelling fixes the case
 * ("america/chicago"); a current name Intl maps to an older one (Asia/Kolkata → Asia/Calcutta) is kept as typed.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_SHAPE.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

/** The form pre-filled from what is stored. */
export function formValuesOf(settings: SyncSettings): SettingsFormValues {
  return {
    clientsEnabled: settings.clientsEnabled,
    invoicesEnabled: settings.invoicesEnabled,
    paymentsEnabled: settings.paymentsEnabled,
    incomeAccountId: settings.incomeAccountId ?? '',
    expenseAccountId: settings.expenseAccountId ?? '',
    depositAccountId: settings.depositAccountId ?? '',
    taxableTaxCodeId: settings.taxableTaxCodeId ?? '',
    nonTaxableTaxCodeId: settings.nonTaxableTaxCodeId ?? '',
    defaultState: settings.defaultState ?? '',
    defaultCountry: settings.defaultCountry ?? '',
    fillSiteFromClient: settings.fillSiteFromClient,
    nightlyTime: settings.nightlyTime,
    timeZone: settings.timeZone,
  };
}

export type SettingsFormResult =
  | { ok: true; choice: SettingsChoice; values: SettingsFormValues }
  | { ok: false; problems: SettingsProblems; values: SettingsFormValues };

const EMPTY_VALUES: SettingsFormValues = formValuesOf({
  clientsEnabled: false, invoicesEnabled: false, invoicesEnabledAt: null, paymentsEnabled: false, paymentsEnabledAt: null,
  incomeAccountId: null, expenseAccountId: null, depositAccountId: null, taxableTaxCodeId: null, nonTaxableTaxCodeId: null,
  defaultState: null, defaultCountry: null, fillSiteFromClient: false, nightlyTime: '', timeZone: '',
});

/**
 * Reads a posted settings form against the company's own lists (read once for this request). Every value
 * is checked: an account id must be one of this company's active accounts of the picker's type, a tax code
 * one of its tax codes, payments need invoices. Any problem rejects the whole form.
 *
 * The invoice/payment rules here (payments need invoices, accounts and tax codes required once a switch is
 * on) are the ones plugin/sync/plan/settings-rules.ts states for the engine; the two are to be joined there.
 */
export function readSettingsForm(body: unknown, lists: CompanyLists, options: { usCompany: boolean }): SettingsFormResult {
  const posted = postedSchema.safeParse(typeof body === 'object' && body !== null ? body : {});
  if (!posted.success) return { ok: false, problems: { form: SETTINGS_TEXTS.problems.badToggle }, values: EMPTY_VALUES };
  const raw = posted.data;
  const problems: SettingsProblems = {};
  const toggle = (name: 'clientsEnabled' | 'invoicesEnabled' | 'paymentsEnabled' | 'fillSiteFromClient'): boolean => {
    const value = raw[name];
    if (value !== undefined && value !== 'on') problems.form = SETTINGS_TEXTS.problems.badToggle;
    return value === 'on';
  };
  const text = (name: SettingsField): string => (raw[name] ?? '').trim();
  const values: SettingsFormValues = {
    clientsEnabled: toggle('clientsEnabled'),
    invoicesEnabled: toggle('invoicesEnabled'),
    paymentsEnabled: toggle('paymentsEnabled'),
    incomeAccountId: text('incomeAccountId'),
    expenseAccountId: text('expenseAccountId'),
    depositAccountId: text('depositAccountId'),
    taxableTaxCodeId: options.usCompany ? '' : text('taxableTaxCodeId'),
    nonTaxableTaxCodeId: options.usCompany ? '' : text('nonTaxableTaxCodeId'),
    defaultState: text('defaultState'),
    defaultCountry: text('defaultCountry').toUpperCase(),
    fillSiteFromClient: toggle('fillSiteFromClient'),
    nightlyTime: text('nightlyTime'),
    timeZone: text('timeZone'),
  };
  // A US company has no tax code pickers: a posted value there is tampering, not a choice.
  if (options.usCompany && (text('taxableTaxCodeId') || text('nonTaxableTaxCodeId'))) {
    problems.form = SETTINGS_TEXTS.problems.unknownTaxCode(SETTINGS_TEXTS.taxableCode);
  }

  if (values.paymentsEnabled && !values.invoicesEnabled) problems.paymentsEnabled = SETTINGS_TEXTS.problems.paymentsNeedInvoices;
  for (const [name, picker] of Object.entries(ACCOUNT_PICKERS) as [AccountPicker, (typeof ACCOUNT_PICKERS)[AccountPicker]][]) {
    const id = values[name];
    if (id === '') continue;
    const account = lists.accounts.find((a) => a.Id === id);
    if (!account) problems[name] = SETTINGS_TEXTS.problems.unknownAccount(picker.label);
    else if (!(picker.types as readonly string[]).includes(account.AccountType)) problems[name] = SETTINGS_TEXTS.problems.wrongAccountType(picker.label, picker.types.join(' or '));
  }
  for (const [name, picker] of Object.entries(TAX_CODE_PICKERS) as [TaxCodePicker, (typeof TAX_CODE_PICKERS)[TaxCodePicker]][]) {
    const id = values[name];
    if (id !== '' && !lists.taxCodes.some((c) => c.Id === id)) problems[name] = SETTINGS_TEXTS.problems.unknownTaxCode(picker.label);
  }
  if (values.invoicesEnabled) {
    if (values.incomeAccountId === '') problems.incomeAccountId ??= SETTINGS_TEXTS.problems.requiredAccount(ACCOUNT_PICKERS.incomeAccountId.label);
    if (!options.usCompany) {
      if (values.taxableTaxCodeId === '') problems.taxableTaxCodeId ??= SETTINGS_TEXTS.problems.requiredTaxCode(TAX_CODE_PICKERS.taxableTaxCodeId.label);
      if (values.nonTaxableTaxCodeId === '') problems.nonTaxableTaxCodeId ??= SETTINGS_TEXTS.problems.requiredTaxCode(TAX_CODE_PICKERS.nonTaxableTaxCodeId.label);
    }
  }
  if (values.paymentsEnabled && values.depositAccountId === '') problems.depositAccountId ??= SETTINGS_TEXTS.problems.requiredAccount(ACCOUNT_PICKERS.depositAccountId.label);
  // NUL cannot be stored, and no state's name holds a tab or a line break.
  if (CONTROL.test(values.defaultState)) problems.defaultState = SETTINGS_TEXTS.problems.controlCharacter(SETTINGS_TEXTS.defaultState);
  else if (values.defaultState.length > MAX_STATE) problems.defaultState = SETTINGS_TEXTS.problems.tooLong(SETTINGS_TEXTS.defaultState, MAX_STATE);
  if (values.defaultCountry !== '' && !COUNTRY.test(values.defaultCountry)) problems.defaultCountry = SETTINGS_TEXTS.problems.badCountry;
  if (!TIME.test(values.nightlyTime)) problems.nightlyTime = SETTINGS_TEXTS.problems.badTime;
  const zone = canonicalTimeZone(values.timeZone);
  if (zone === null) problems.timeZone = SETTINGS_TEXTS.problems.badTimeZone;

  if (Object.keys(problems).length > 0 || zone === null) return { ok: false, problems, values };
  const orNull = (value: string): string | null => (value === '' ? null : value);
  return {
    ok: true,
    values,
    choice: {
      clientsEnabled: values.clientsEnabled,
      invoicesEnabled: values.invoicesEnabled,
      paymentsEnabled: values.paymentsEnabled,
      incomeAccountId: orNull(values.incomeAccountId),
      expenseAccountId: orNull(values.expenseAccountId),
      depositAccountId: orNull(values.depositAccountId),
      taxableTaxCodeId: orNull(values.taxableTaxCodeId),
      nonTaxableTaxCodeId: orNull(values.nonTaxableTaxCodeId),
      defaultState: orNull(values.defaultState),
      defaultCountry: orNull(values.defaultCountry),
      fillSiteFromClient: values.fillSiteFromClient,
      nightlyTime: values.nightlyTime,
      timeZone: zone,
    },
  };
}
