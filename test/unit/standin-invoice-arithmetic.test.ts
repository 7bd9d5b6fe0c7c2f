import { expect } from 'chai';
import { formatExact, formatMoneyForDisplay, invoiceTotals, lineAmounts } from '../../dev/host/invoice-arithmetic';

describe('Work invoice arithmetic (stand-in)', () => {
  describe('lineAmounts', () => {
    it('taxes a taxable line on its unrounded amount and keeps every decimal', () => {
      // 3 × 12.3456 = 37.0368; × 8.875 % = 3.28701600 exactly.
      expect(lineAmounts({ quantity: '3', unitPrice: '12.3456', taxable: true }, '8.875')).to.deep.equal({ amount: '37.0368', taxAmount: '3.287016' });
    });

    it('keeps more than 4 decimals when the exact tax needs them', () => {
      // 1.0001 × 0.0001 = 0.00010001; × 0.0001 % = 0.00000000010001
      expect(lineAmounts({ quantity: '1.0001', unitPrice: '0.0001', taxable: true }, '0.0001').taxAmount).to.equal('0.00000000010001');
    });

    it('does not tax a non-taxable line', () => {
      expect(lineAmounts({ quantity: '2', unitPrice: '50', taxable: false }, '10')).to.deep.equal({ amount: '100.0000', taxAmount: '0.0000' });
    });

    it('is exact where JS floats are not', () => {
      // 0.1 × 3 in floats is 0.30000000000000004.
      expect(lineAmounts({ quantity: '3', unitPrice: '0.1', taxable: true }, '10')).to.deep.equal({ amount: '0.3000', taxAmount: '0.0300' });
    });

    it('does not lose digits on large amounts (beyond 20 significant digits)', () => {
      const { taxAmount } = lineAmounts({ quantity: '9999999999.9999', unitPrice: '9999999999.9999', taxable: true }, '99.9999');
      // Checked with Python's decimal at 100 digits; decimal.js's default 20 digits would end at "…02".
      expect(taxAmount).to.equal('99999899999998000002.00000000999999');
    });
  });

  describe('invoiceTotals', () => {
    it('adds the unrounded line amounts and the stored unrounded tax', () => {
      const rate = '7.25';
      const raw = [
        { quantity: '1.5', unitPrice: '19.9999', taxable: true },
        { quantity: '3', unitPrice: '0.3333', taxable: true },
        { quantity: '1', unitPrice: '100', taxable: false },
      ];
      const lines = raw.map((l) => ({ ...l, taxAmount: lineAmounts(l, rate).taxAmount }));
      // amounts: 29.99985 + 0.9999 + 100 = 130.99975; tax: 29.99985 × 0.0725 = 2.174989125, 0.9999 × 0.0725 = 0.07249275
      expect(invoiceTotals(lines)).to.deep.equal({ subtotal: '130.99975', taxTotal: '2.247481875', total: '133.247231875' });
    });

    it('shows where per-line unrounded tax differs from tax on the rounded total (the FAQ case)', () => {
      const rate = '8.25';
      const lines = Array.from({ length: 3 }, () => ({ quantity: '1', unitPrice: '0.3333', taxable: true })).map((l) => ({ ...l, taxAmount: lineAmounts(l, rate).taxAmount }));
      const totals = invoiceTotals(lines);
      expect(totals.taxTotal).to.equal('0.08249175');
      expect(formatMoneyForDisplay(totals.total)).to.equal('1.08');
    });

    it('gives zeros for an invoice without lines', () => {
      expect(invoiceTotals([])).to.deep.equal({ subtotal: '0.0000', taxTotal: '0.0000', total: '0.0000' });
    });
  });

  describe('formatting', () => {
    it('never uses exponent notation and keeps at least 4 decimals', () => {
      expect(formatExact('1e-10')).to.equal('0.0000000001');
      expect(formatExact('12')).to.equal('12.0000');
    });

    it('rounds money for display half-up to cents with separators', () => {
      expect(formatMoneyForDisplay('1234567.005')).to.equal('1,234,567.01');
      expect(formatMoneyForDisplay('0.004999')).to.equal('0.00');
      expect(formatMoneyForDisplay('-1234.5')).to.equal('-1,234.50');
    });
  });
});
