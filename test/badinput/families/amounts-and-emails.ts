import { expect } from 'chai';
import Decimal from 'decimal.js';
import { messages } from '../../../dev/host/web/messages';
import { expectClean, expectEscaped, expectMessage, expectNothingWritten } from '../checks';
import { badCase } from '../ledger';
import { AMOUNTS, INVALID_EMAILS } from '../values';
import type { BadInputWorld } from '../world';
import { clientFields, firstId, invoiceFields, latestRow, paymentFields, siteFields, submitWorkForm } from './form-support';

interface AmountRule {
  label: string;
  maxDecimals: number;
  positive: boolean;
  below?: string;
  blankMeans?: string;
}

/**
 * What Work's number fields must answer, written out from the rules a bookkeeper is told (not from the
 * code): plain decimals only, no sign, at most N decimals, at most 10 digits before the point.
 */
function amountOutcome(raw: string, rule: AmountRule): { ok: true; value: string } | { ok: false; message: string } {
  const typed = raw.trim();
  const s = typed === '' && rule.blankMeans !== undefined ? rule.blankMeans : typed;
  if (s === '') return { ok: false, message: messages.required(rule.label) };
  if (/^-\d+(\.\d+)?$/.test(s)) return { ok: false, message: rule.positive ? messages.mustBePositive(rule.label) : messages.notNegative(rule.label) };
  if (!/^\d+(\.\d+)?$/.test(s)) return { ok: false, message: messages.notANumber(rule.label) };
  const [whole = '', fraction = ''] = s.split('.');
  if (fraction.length > rule.maxDecimals) return { ok: false, message: messages.tooManyDecimals(rule.label, rule.maxDecimals) };
  if (whole.replace(/^0+(?=\d)/, '').length > 10) return { ok: false, message: messages.tooLarge(rule.label) };
  if (rule.positive && new Decimal(s).lte(0)) return { ok: false, message: messages.mustBePositive(rule.label) };
  if (rule.below !== undefined && new Decimal(s).gte(rule.below)) return { ok: false, message: messages.mustBeBelow(rule.label, rule.below) };
  return { ok: true, value: s };
}

interface AmountField {
  name: string;
  form: 'invoice' | 'payment';
  formField: string;
  rule: AmountRule;
  /** The refusal as the page words it (a line's problems are prefixed with the line). */
  wording: (message: string) => string;
  stored: (w: BadInputWorld) => Promise<string>;
}

const line = (message: string) => messages.lineProblem(1, message);
const same = (message: string) => message;

async function latestLine(w: BadInputWorld, column: string): Promise<string> {
  const invoice = await latestRow(w, 'invoices', w.accounts.northwind);
  const row = (await w.knex('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position').first(column)) as Record<string, string>;
  return String(row[column]);
}

const AMOUNT_FIELDS: AmountField[] = [
  { name: 'invoice quantity', form: 'invoice', formField: 'lines[0][quantity]', rule: { label: 'Quantity', maxDecimals: 4, positive: true }, wording: line, stored: (w) => latestLine(w, 'quantity') },
  { name: 'invoice unit price', form: 'invoice', formField: 'lines[0][unitPrice]', rule: { label: 'Unit price', maxDecimals: 4, positive: false }, wording: line, stored: (w) => latestLine(w, 'unit_price') },
  {
    name: 'invoice tax rate',
    form: 'invoice',
    formField: 'taxRate',
    rule: { label: 'Tax rate', maxDecimals: 4, positive: false, below: '100', blankMeans: '0' },
    wording: same,
    stored: async (w) => String((await latestRow(w, 'invoices', w.accounts.northwind)).tax_rate),
  },
  { name: 'payment amount', form: 'payment', formField: 'amount', rule: { label: 'Amount', maxDecimals: 2, positive: true }, wording: same, stored: async (w) => String((await latestRow(w, 'payments', w.accounts.northwind)).amount) },
];

export function amountAndEmailCases(world: () => BadInputWorld): void {
  describe('zero, negative, huge and over-precise amounts in invoice and payment forms', () => {
    for (const field of AMOUNT_FIELDS) {
      for (const [kind, value] of Object.entries(AMOUNTS)) {
        badCase(`amounts: ${field.name} ← ${kind} (${JSON.stringify(value)})`, async () => {
          const w = world();
          const label = `${field.name} ← ${kind}`;
          const clientId = await firstId(w, 'clients', w.accounts.northwind);
          const post = () =>
            field.form === 'invoice'
              ? submitWorkForm(w.clients.northwindAdmin, '/invoices/new', '/invoices', invoiceFields(clientId, { [field.formField]: value }))
              : submitWorkForm(w.clients.northwindAdmin, '/payments/new', '/payments', paymentFields(clientId, { [field.formField]: value }));
          const expected = amountOutcome(value, field.rule);
          if (!expected.ok) {
            const answer = await expectNothingWritten(w.knex, label, post);
            expectClean(w, answer, label);
            expect(answer.status, `${label}: status`).to.equal(422);
            expectMessage(answer, field.wording(expected.message), label);
            return;
          }
          const answer = await post();
          expectClean(w, answer, label);
          expect(answer.status, `${label}: status`).to.equal(303);
          const stored = await field.stored(w);
          expect(new Decimal(stored).eq(expected.value), `${label}: stored ${stored}, typed ${value}`).to.equal(true);
        });
      }
    }
  });

  describe('invalid emails', () => {
    for (const [kind, value] of Object.entries(INVALID_EMAILS)) {
      const nul = value.includes('\u0000');
      const message = nul ? messages.nulCharacter : messages.emailInvalid;
      badCase(`emails: client email ← ${kind}`, async () => {
        const w = world();
        const label = `client email ← ${kind}`;
        const answer = await expectNothingWritten(w.knex, label, () => submitWorkForm(w.clients.northwindAdmin, '/clients/new', '/clients', clientFields({ email: value })));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(422);
        expectMessage(answer, message, label);
        expectEscaped(answer, value, label);
      });
      badCase(`emails: site email ← ${kind}`, async () => {
        const w = world();
        const label = `site email ← ${kind}`;
        const clientId = await firstId(w, 'clients', w.accounts.northwind);
        const answer = await expectNothingWritten(w.knex, label, () => submitWorkForm(w.clients.northwindAdmin, `/clients/${clientId}/sites/new`, `/clients/${clientId}/sites`, siteFields({ email: value })));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(422);
        expectMessage(answer, message, label);
        expectEscaped(answer, value, label);
      });
      badCase(`emails: client edit email ← ${kind} keeps the stored client`, async () => {
        const w = world();
        const label = `client edit email ← ${kind}`;
        const clientId = await firstId(w, 'clients', w.accounts.northwind);
        const before = JSON.stringify(await w.knex('clients').where({ id: clientId }).first());
        const answer = await expectNothingWritten(w.knex, label, () => submitWorkForm(w.clients.northwindAdmin, `/clients/${clientId}/edit`, `/clients/${clientId}`, clientFields({ email: value })));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(422);
        expectMessage(answer, message, label);
        expect(JSON.stringify(await w.knex('clients').where({ id: clientId }).first()), `${label}: the client is unchanged`).to.equal(before);
      });
    }
  });
}
