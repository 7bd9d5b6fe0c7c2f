import { expect } from 'chai';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  Exact,
  fitsQboRate,
  isHalfCentTie,
  isNearHalfCent,
  lineMoney,
  parseDecimal,
  passesQboAmountCheck,
  QBO_MAX_RATE_DECIMALS,
  roundCents,
  type LineMoney,
} from '../../plugin/sync/mappers/money';
import { toWireJson } from '../../plugin/qbo/wire-json';
import { priceArb, quantityArb } from '../support/invoice-fixtures';

function okLine(quantity: string, unitPrice: string): LineMoney {
  const result = lineMoney(quantity, unitPrice);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.line;
}

/** What a JSON.parse-based server (the sandbox) reads back from the wire text of a Decimal. */
function throughJsonDouble(value: Decimal): Decimal {
  return new Exact(String(JSON.parse(toWireJson(value)) as number));
}

describe('sync money rules', () => {
  describe('parseDecimal', () => {
    const table: Array<[string, string | null]> = [
      ['12.5000', '12.5'],
      ['-3', '-3'],
      ['.5', '0.5'],
      [' 7 ', '7'],
      ['-0', '0'],
      ['1e5', null],
      ['', null],
      ['1,5', null],
      ['NaN', null],
      ['Infinity', null],
      ['12.3.4', null],
    ];
    for (const [text, expected] of table) {
      it(`reads ${JSON.stringify(text)} as ${String(expected)}`, () => {
        const parsed = parseDecimal(text);
        expect(parsed === null ? null : parsed.toFixed()).to.equal(expected);
      });
    }
  });

  describe('roundCents: half-up, ties away from zero, exact', () => {
    const table: Array<[string, string]> = [
      ['0.125', '0.13'],
      ['-0.125', '-0.13'],
      ['0.124999999', '0.12'],
      ['1.005', '1.01'], // 1.005 is 1.00499999… as a float
      ['2.675', '2.68'],
      ['0.9999', '1'],
      ['123456789012345678.995', '123456789012345679'],
    ];
    for (const [value, expected] of table) {
      it(`${value} → ${expected}`, () => expect(roundCents(value).toFixed()).to.equal(expected));
    }
    it('knows a half-cent tie', () => {
      expect(isHalfCentTie('0.125')).to.equal(true);
      expect(isHalfCentTie('-7.005')).to.equal(true);
      expect(isHalfCentTie('0.1251')).to.equal(false);
      expect(isHalfCentTie('0.12')).to.equal(false);
    });
    it('knows a product within float error of a half cent', () => {
      expect(isNearHalfCent('0.125')).to.equal(true);
      expect(isNearHalfCent('1234579210.37499999999')).to.equal(true);
      expect(isNearHalfCent('1234579210.374')).to.equal(false);
      expect(isNearHalfCent('0.12499999999')).to.equal(false);
      expect(isNearHalfCent('-7.005')).to.equal(true);
    });
  });

  describe('lineMoney: the table', () => {
    it('sends 3 × 0.3333 as it is, Amount 1.00 (the FAQ line)', () => {
      const line = okLine('3', '0.3333');
      expect(line.form).to.equal('exact');
      expect([line.qty.toFixed(), line.unitPrice.toFixed(), line.amount.toFixed(2)]).to.deep.equal(['3', '0.3333', '1.00']);
      expect(line.workTotal.toFixed()).to.equal('0.9999');
    });

    it('sends a product exactly on a half cent as Qty 1 at the line total (QBO tie rule undocumented)', () => {
      const line = okLine('1', '0.125');
      expect(line).to.include({ form: 'line_total', reason: 'half_cent' });
      expect([line.qty.toFixed(), line.unitPrice.toFixed(), line.amount.toFixed()]).to.deep.equal(['1', '0.13', '0.13']);
      expect([line.originalQty.toFixed(), line.originalUnitPrice.toFixed()]).to.deep.equal(['1', '0.125']);
    });

    it('sends a product a hair below a half cent as Qty 1 at the line total (doubles or 20 digits would round it up)', () => {
      // 10000098.9041097 × 123.4567 = 1234579210.37499999999 exactly; in doubles or 20 digits it is …210.375.
      const line = okLine('10000098.9041097', '123.4567');
      expect(line).to.include({ form: 'line_total', reason: 'half_cent' });
      expect(line.amount.toFixed()).to.equal('1234579210.37');
      expect(new Decimal('10000098.9041097').times('123.4567').toFixed()).to.equal('1234579210.375');
    });

    it('sends a quantity with more than 7 decimals as Qty 1 at the line total', () => {
      const line = okLine('0.33333333', '3.0000');
      expect(line).to.include({ form: 'line_total', reason: 'too_many_decimals' });
      expect(line.amount.toFixed()).to.equal('1');
      expect(line.unitPrice.toFixed()).to.equal('1');
    });

    it('sends 16 significant digits (a float would change them) as Qty 1 at the line total', () => {
      const line = okLine('123456789.1234567', '1');
      expect(line).to.include({ form: 'line_total', reason: 'too_many_digits' });
      expect(line.amount.toFixed()).to.equal('123456789.12');
    });

    it('keeps 7 decimals and 15 digits as they are', () => {
      const line = okLine('12345678.1234567', '1');
      expect(line.form).to.equal('exact');
      expect(fitsQboRate(line.qty)).to.equal(true);
    });

    it('accepts zero and negative lines (QBO accepts them; the invoice total decides)', () => {
      expect(okLine('0', '19.99').amount.toFixed(2)).to.equal('0.00');
      expect(okLine('-2', '5.5').amount.toFixed(2)).to.equal('-11.00');
      expect(okLine('1', '-0.3333').amount.toFixed(2)).to.equal('-0.33');
    });

    const refused: Array<[string, string, string]> = [
      ['abc', '1', 'invalid_number'],
      ['1', '', 'invalid_number'],
      ['1e5', '1', 'invalid_number'],
      ['1', '12,50', 'invalid_number'],
      ['10000000000', '1', 'amount_too_large'],
      ['9999999999.995', '1', 'amount_too_large'],
      ['-100000', '100000', 'amount_too_large'],
    ];
    for (const [q, p, code] of refused) {
      it(`refuses ${q} × ${JSON.stringify(p)} with ${code}`, () => {
        const result = lineMoney(q, p);
        expect(result.ok).to.equal(false);
        if (!result.ok) expect(result.refusal.code).to.equal(code);
      });
    }

    it('keeps the largest amount that fits "10.5 format"', () => {
      expect(okLine('9999999999.99', '1').amount.toFixed(2)).to.equal('9999999999.99');
    });
  });

  describe('lineMoney: properties over quantities with many decimals and 4-decimal prices', () => {
    it('always passes QBO\'s 6070 check, and Amount is Work\'s line total rounded half-up', () => {
      fc.assert(
        fc.property(quantityArb, priceArb, (q, p) => {
          const line = okLine(q, p);
          const exactTotal = new Exact(q).times(p);
          expect(line.amount.equals(roundCents(exactTotal))).to.equal(true);
          expect(line.amount.decimalPlaces()).to.be.at.most(2);
          expect(passesQboAmountCheck(line.qty, line.unitPrice, line.amount)).to.equal(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('passes the check under half-even too, and after a JSON double round trip of every number', () => {
      fc.assert(
        fc.property(quantityArb, priceArb, (q, p) => {
          const line = okLine(q, p);
          const [qty, price, amount] = [throughJsonDouble(line.qty), throughJsonDouble(line.unitPrice), throughJsonDouble(line.amount)];
          expect(qty.equals(line.qty) && price.equals(line.unitPrice) && amount.equals(line.amount)).to.equal(true);
          expect(qty.times(price).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).equals(amount)).to.equal(true);
          expect(qty.times(price).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).equals(amount)).to.equal(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('passes the check when the server multiplies in doubles or in 20 digits (not only exactly)', () => {
      fc.assert(
        fc.property(quantityArb, priceArb, (q, p) => {
          const line = okLine(q, p);
          const inDoubles = new Exact(String(Number(line.qty.toFixed()) * Number(line.unitPrice.toFixed())));
          const in20Digits = new Decimal(line.qty.toFixed()).times(line.unitPrice.toFixed());
          for (const product of [inDoubles, in20Digits]) {
            expect(product.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).equals(line.amount), `${q} × ${p}: ${product.toFixed()}`).to.equal(true);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('sends Work\'s own quantity and price exactly when they fit and the product is no half-cent tie', () => {
      fc.assert(
        fc.property(quantityArb, priceArb, (q, p) => {
          const line = okLine(q, p);
          const qty = new Exact(q);
          const fits = qty.decimalPlaces() <= QBO_MAX_RATE_DECIMALS && fitsQboRate(qty) && fitsQboRate(new Exact(p)) && !isNearHalfCent(qty.times(p));
          expect(line.form).to.equal(fits ? 'exact' : 'line_total');
          if (line.form === 'exact') expect([line.qty.equals(q), line.unitPrice.equals(p)]).to.deep.equal([true, true]);
          else expect(line.qty.toFixed()).to.equal('1');
        }),
        { numRuns: 2000 },
      );
    });
  });
});
