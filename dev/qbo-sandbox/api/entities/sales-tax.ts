/**
 * Invoice tax as QBO computes it: per tax code on the sum of its lines, rounded to cents once (not per
 * line), so a client that taxes each line sees the few-cent differences real QuickBooks produces.
 * US companies use automated sales tax, which QBO derives from the ship-to address; the sandbox uses one
 * fixed rate for every TAX line. CA and GB use the seeded tax codes' rates.
 */
import type { Country, QboObject } from '../../contracts';
import { isObject } from '../body-checks';
import { Decimal, jsonNumber, money, roundCents } from '../money';

/** The sandbox's stand-in for an address-based US sales tax rate, in percent. */
export const US_SANDBOX_SALES_TAX_PERCENT = '8.25';

/** Percent rates of the seeded tax codes (see store/seed-company.ts). */
const RATES: Record<Country, Record<string, string>> = {
  US: { TAX: US_SANDBOX_SALES_TAX_PERCENT, NON: '0' },
  CA: { '2': '0', '3': '0', '4': '5', '5': '13', '6': '12' },
  GB: { '2': '20', '3': '5', '4': '0', '5': '0', '6': '0' },
};

export type TaxCalculation = 'TaxExcluded' | 'TaxInclusive' | 'NotApplicable';

export interface InvoiceTax {
  totalTax: Decimal;
  detail: QboObject;
}

export function invoiceTax(country: Country, lines: QboObject[], calculation: TaxCalculation): InvoiceTax {
  const netByCode = new Map<string, Decimal>();
  for (const line of lines) {
    const detail = line['SalesItemLineDetail'];
    if (!isObject(detail) || !isObject(detail['TaxCodeRef'])) continue;
    const code = String(detail['TaxCodeRef']['value']);
    netByCode.set(code, (netByCode.get(code) ?? new Decimal(0)).plus(money(String(line['Amount']))));
  }
  const taxLines: QboObject[] = [];
  let totalTax = new Decimal(0);
  if (calculation !== 'NotApplicable') {
    for (const [code, net] of netByCode) {
      const rate = money(RATES[country][code] ?? '0');
      if (rate.isZero() || net.isZero()) continue;
      const tax = calculation === 'TaxInclusive' ? roundCents(net.times(rate).dividedBy(rate.plus(100))) : roundCents(net.times(rate).dividedBy(100));
      totalTax = totalTax.plus(tax);
      taxLines.push({
        Amount: jsonNumber(tax),
        DetailType: 'TaxLineDetail',
        TaxLineDetail: { TaxRateRef: { value: code }, PercentBased: true, TaxPercent: jsonNumber(rate), NetAmountTaxable: jsonNumber(calculation === 'TaxInclusive' ? net.minus(tax) : net) },
      });
    }
  }
  const detail: QboObject = { TotalTax: jsonNumber(totalTax) };
  if (taxLines.length > 0) detail['TaxLine'] = taxLines;
  return { totalTax, detail };
}
