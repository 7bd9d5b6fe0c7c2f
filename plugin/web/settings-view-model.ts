import { SETTINGS_TEXTS, type NoticeTone } from '../messages';
import type { CompanyLists } from '../qbo/company-lists';
import type { SyncSettings } from '../sync/sync-settings';
import { ACCOUNT_PICKERS, TAX_CODE_PICKERS, type AccountPicker, type SettingsField, type SettingsFormValues, type SettingsProblems, type TaxCodePicker } from './settings-form';

export interface OptionView {
  value: string;
  label: string;
  selected: boolean;
}

interface FieldView {
  id: string;
  name: SettingsField;
  label: string;
  hint: string | null;
  error: string | null;
}

export interface SelectView extends FieldView {
  blank: string;
  options: OptionView[];
}

export interface CheckView extends FieldView {
  checked: boolean;
}

export interface TextView extends FieldView {
  value: string;
  type: 'text' | 'time';
  autocomplete: string;
  list: string | null;
}

export interface SettingsFormView {
  action: string;
  csrfToken: string;
  errorsIntro: string | null;
  errorList: { href: string; text: string }[];
  texts: typeof SETTINGS_TEXTS;
  toggles: CheckView[];
  accountPickers: SelectView[];
  taxPickers: SelectView[];
  defaults: { state: TextView; country: TextView; fillSites: CheckView };
  schedule: { time: TextView; zone: TextView };
  timeZones: string[];
}

export interface SettingsPageView {
  title: string;
  notice: { tone: NoticeTone; text: string } | null;
  form: SettingsFormView | null;
}

const idOf = (name: string): string => `setting-${name}`;

function field(name: SettingsField, label: string, hint: string | null, problems: SettingsProblems): FieldView {
  return { id: idOf(name), name, label, hint, error: problems[name] ?? null };
}

function formatMoment(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
}

/** Everything the settings form shows, worded and with its options and errors: the template only prints it. */
export function buildSettingsForm(input: {
  values: SettingsFormValues;
  problems: SettingsProblems;
  stored: SyncSettings;
  lists: CompanyLists;
  usCompany: boolean;
  csrfToken: string;
  action: string;
}): SettingsFormView {
  const { values, problems, lists } = input;
  const check = (name: 'clientsEnabled' | 'invoicesEnabled' | 'paymentsEnabled' | 'fillSiteFromClient', label: string, hint: string): CheckView => ({
    ...field(name, label, hint, problems),
    checked: values[name],
  });
  const text = (name: 'defaultState' | 'defaultCountry' | 'nightlyTime' | 'timeZone', label: string, hint: string | null, type: 'text' | 'time', autocomplete: string, list: string | null = null): TextView => ({
    ...field(name, label, hint, problems),
    value: values[name],
    type,
    autocomplete,
    list,
  });
  const invoicesHint =
    input.stored.invoicesEnabled && input.stored.invoicesEnabledAt
      ? SETTINGS_TEXTS.invoicesOnSince(formatMoment(input.stored.invoicesEnabledAt, input.stored.timeZone))
      : SETTINGS_TEXTS.invoicesHintOff;
  const accountPicker = (name: AccountPicker, hint: string): SelectView => {
    const types: readonly string[] = ACCOUNT_PICKERS[name].types;
    return {
      ...field(name, ACCOUNT_PICKERS[name].label, hint, problems),
      blank: SETTINGS_TEXTS.chooseAccount,
      options: lists.accounts
        .filter((a) => types.includes(a.AccountType))
        .map((a) => ({ value: a.Id, label: `${a.FullyQualifiedName ?? a.Name} (${a.AccountType})`, selected: a.Id === values[name] }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    };
  };
  const taxPicker = (name: TaxCodePicker): SelectView => ({
    ...field(name, TAX_CODE_PICKERS[name].label, null, problems),
    blank: SETTINGS_TEXTS.chooseTaxCode,
    options: lists.taxCodes.map((c) => ({ value: c.Id, label: c.Name, selected: c.Id === values[name] })),
  });
  const errorList = Object.entries(problems).map(([name, text]) => ({ href: name === 'form' ? '#settings-form' : `#${idOf(name)}`, text }));
  return {
    action: input.action,
    csrfToken: input.csrfToken,
    errorsIntro: errorList.length > 0 ? SETTINGS_TEXTS.errorsIntro : null,
    errorList,
    texts: SETTINGS_TEXTS,
    toggles: [
      check('clientsEnabled', SETTINGS_TEXTS.clients, SETTINGS_TEXTS.clientsHint),
      check('invoicesEnabled', SETTINGS_TEXTS.invoices, invoicesHint),
      check('paymentsEnabled', SETTINGS_TEXTS.payments, SETTINGS_TEXTS.paymentsHint),
    ],
    accountPickers: [
      accountPicker('incomeAccountId', SETTINGS_TEXTS.incomeHint),
      accountPicker('expenseAccountId', SETTINGS_TEXTS.expenseHint),
      accountPicker('depositAccountId', SETTINGS_TEXTS.depositHint),
    ],
    taxPickers: input.usCompany ? [] : [taxPicker('taxableTaxCodeId'), taxPicker('nonTaxableTaxCodeId')],
    defaults: {
      state: text('defaultState', SETTINGS_TEXTS.defaultState, SETTINGS_TEXTS.defaultsHint, 'text', 'address-level1'),
      country: text('defaultCountry', SETTINGS_TEXTS.defaultCountry, null, 'text', 'country'),
      fillSites: check('fillSiteFromClient', SETTINGS_TEXTS.fillSites, SETTINGS_TEXTS.fillSitesHint),
    },
    schedule: {
      time: text('nightlyTime', SETTINGS_TEXTS.nightlyTime, null, 'time', 'off'),
      zone: text('timeZone', SETTINGS_TEXTS.timeZone, SETTINGS_TEXTS.timeZoneHint, 'text', 'off', 'time-zones'),
    },
    timeZones: Intl.supportedValuesOf('timeZone'),
  };
}
