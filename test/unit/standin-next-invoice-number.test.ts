import { expect } from 'chai';
import { nextInvoiceNumber } from '../../dev/host/web/forms/next-invoice-number';

describe('stand-in: the next invoice number prefilled on a new invoice', () => {
  it('starts at INV-1001', () => {
    expect(nextInvoiceNumber([])).to.equal('INV-1001');
    expect(nextInvoiceNumber(['Deposit'])).to.equal('INV-1001');
    expect(nextInvoiceNumber(['INV-1001', 'no digits'])).to.equal('INV-1002');
  });

  it('counts up the latest number, keeping its prefix and zero padding', () => {
    expect(nextInvoiceNumber(['NW-1001', 'NW-1024'])).to.equal('NW-1025');
    expect(nextInvoiceNumber(['A-0099'])).to.equal('A-0100');
    expect(nextInvoiceNumber(['2026-09'])).to.equal('2026-10');
    expect(nextInvoiceNumber(['99'])).to.equal('100');
  });

  it('never offers a number already used, nor one below a higher number of the same prefix', () => {
    expect(nextInvoiceNumber(['NW-1001', 'NW-1003', 'NW-1002'])).to.equal('NW-1004');
    expect(nextInvoiceNumber(['NW-1001', 'NW-2026-LONG-INVOICE-NUMBER-6', 'NW-1024'])).to.equal('NW-1025');
    expect(nextInvoiceNumber(['X-1', 'Y-5', 'X-2', 'X-3', 'Y-6'])).to.equal('Y-7');
  });

  it('offers nothing rather than a number longer than the form accepts', () => {
    expect(nextInvoiceNumber([`${'N'.repeat(49)}9`])).to.equal('');
  });
});
