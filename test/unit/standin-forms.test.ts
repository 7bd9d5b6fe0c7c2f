import { expect } from 'chai';
import { isRealCalendarDate } from '../../dev/host/web/forms/fields';
import { parseInvoiceForm } from '../../dev/host/web/forms/invoice-form';
import { parsePaymentForm } from '../../dev/host/web/forms/payment-form';
import { messages } from '../../dev/host/web/messages';

const header = { clientId: '1', siteId: '', number: 'INV-1', issueDate: '2026-03-01', dueDate: '', taxRate: '', notes: '' };

describe('stand-in form parsing', () => {
  it('knows which calendar dates exist', () => {
    const real = ['2026-02-28', '2024-02-29', '2026-12-31', '2000-02-29'];
    const unreal = ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-3-1', '26-03-01', ''];
    for (const d of real) expect(isRealCalendarDate(d), d).to.equal(true);
    for (const d of unreal) expect(isRealCalendarDate(d), d).to.equal(false);
  });

  it('reads lines in index order even when the body parser gives an object (more than 20 lines)', () => {
    const lines: Record<string, Record<string, string>> = {};
    for (const i of [25, 3, 0]) lines[String(i)] = { description: `row ${i}`, quantity: '1', unitPrice: '2.5' };
    lines['7'] = { description: '', quantity: '', unitPrice: '', itemId: '' };
    const result = parseInvoiceForm({ ...header, lines });
    expect(result.ok).to.equal(true);
    if (result.ok) {
      expect(result.value.lines.map((l) => l.description)).to.deep.equal(['row 0', 'row 3', 'row 25']);
      expect(result.value.taxRate).to.equal('0');
    }
  });

  it('names a faulty line by the row number the person sees', () => {
    const result = parseInvoiceForm({ ...header, lines: [{ description: '', quantity: '', unitPrice: '' }, { description: 'x', quantity: '1', unitPrice: '1.00001' }] });
    expect(result).to.deep.equal({ ok: false, errors: { 'lines.1.unitPrice': messages.lineProblem(2, messages.tooManyDecimals('Unit price', 4)) } });
  });

  it('treats a field sent twice (an array) as empty rather than guessing', () => {
    const result = parsePaymentForm({ clientId: '1', amount: ['1', '2'], paidOn: '2026-01-01' });
    expect(result).to.deep.equal({ ok: false, errors: { amount: messages.required('Amount') } });
  });

  it('accepts amounts written with leading zeros and trims spaces, but never exponents or signs', () => {
    const ok = parsePaymentForm({ clientId: '1', amount: ' 007.50 ', paidOn: '2026-01-01' });
    expect(ok.ok && ok.value.amount).to.equal('007.50');
    for (const amount of ['1e3', '+5', '5.', '.5', 'NaN', 'Infinity']) {
      const bad = parsePaymentForm({ clientId: '1', amount, paidOn: '2026-01-01' });
      expect(bad, amount).to.deep.equal({ ok: false, errors: { amount: messages.notANumber('Amount') } });
    }
    // A minus sign is named as what it is.
    expect(parsePaymentForm({ clientId: '1', amount: '-5', paidOn: '2026-01-01' })).to.deep.equal({ ok: false, errors: { amount: messages.mustBePositive('Amount') } });
  });

  it('refuses amounts too large for the database with a message instead of a crash', () => {
    const bad = parsePaymentForm({ clientId: '1', amount: '123456789012.00', paidOn: '2026-01-01' });
    expect(bad).to.deep.equal({ ok: false, errors: { amount: messages.tooLarge('Amount') } });
  });
});
