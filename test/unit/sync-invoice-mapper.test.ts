import { expect } from 'chai';
import fc from 'fast-check';
import type { WorkInvoice } from '../../plugin/host/work-records';
import { toWireJson } from '../../plugin/qbo/wire-json';
import {
  invoicePayloadChanged,
  invoiceUpdateBody,
  mapInvoice,
  QBO_DOC_NUMBER_MAX,
  shortenDocNumber,
  type InvoiceMappingInput,
  type MappedInvoice,
} from '../../plugin/sync/mappers/invoice-invoice';
import { Exact, passesQboAmountCheck, roundCents } from '../../plugin/sync/mappers/money';
import { priceArb, quantityArb, workInvoice, workLine } from '../support/invoice-fixtures';

function input(invoice: WorkInvoice, overrides: Partial<InvoiceMappingInput> = {}): InvoiceMappingInput {
  return {
    invoice,
    customerId: '58',
    itemIdByLineId: new Map(invoice.lines.map((l) => [l.id, '1'])),
    taxCodes: { mode: 'us' },
    customTxnNumbers: true,
    ...overrides,
  };
}

function mapped(invoice: WorkInvoice, overrides: Partial<InvoiceMappingInput> = {}): MappedInvoice {
  const result = mapInvoice(input(invoice, overrides));
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.invoice;
}

/** A refusal, and proof that nothing was lost: the Work invoice is exactly as it was. */
function refusal(invoice: WorkInvoice, overrides: Partial<InvoiceMappingInput> = {}) {
  const before = structuredClone(invoice);
  const result = mapInvoice(input(invoice, overrides));
  expect(invoice).to.deep.equal(before);
  if (result.ok) throw new Error('expected a refusal');
  return result.refusal;
}

describe('sync invoice mapper: Work invoice → QBO Invoice body', () => {
  it('maps a US invoice: customer, number, dates, lines with item, Qty, UnitPrice, Amount, TAX/NON, no tax amounts', () => {
    const invoice = workInvoice({
      lines: [
        workLine({ id: 'a', position: 2, description: 'Parts', quantity: '3.0000', unitPrice: '0.3333', taxable: true }),
        workLine({ id: 'b', position: 1, description: 'Labour', quantity: '1.5000', unitPrice: '80.0000', taxable: false }),
      ],
    });
    const out = mapped(invoice, { itemIdByLineId: new Map([['a', '7'], ['b', '1']]) });
    expect(JSON.parse(toWireJson(out.body))).to.deep.equal({
      CustomerRef: { value: '58' },
      Line: [
        { Amount: 120, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1.5, UnitPrice: 80, TaxCodeRef: { value: 'NON' } }, Description: 'Labour' },
        { Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '7' }, Qty: 3, UnitPrice: 0.3333, TaxCodeRef: { value: 'TAX' } }, Description: 'Parts' },
      ],
      TxnDate: '2026-11-20',
      DocNumber: 'INV-1001',
      DueDate: '2026-12-20',
      PrivateNote: 'Work invoice INV-1001',
    });
    expect(toWireJson(out.body)).not.to.match(/Tax(Amount|Line)|TotalTax/);
    expect(out.qboSubtotal.toFixed(2)).to.equal('121.00');
    expect(out.warnings).to.deep.equal([]);
    expect(out.docNumber).to.deep.equal({ workNumber: 'INV-1001', sent: 'INV-1001', shortened: false });
  });

  it('uses the chosen tax codes outside the US, and refuses without them', () => {
    const invoice = workInvoice({ lines: [workLine({ id: 'a', taxable: true }), workLine({ id: 'b', position: 2, taxable: false })] });
    const out = mapped(invoice, { taxCodes: { mode: 'codes', taxable: '4', nonTaxable: '2' } });
    expect(out.body.Line.map((l) => l.SalesItemLineDetail.TaxCodeRef?.value)).to.deep.equal(['4', '2']);
    expect(refusal(invoice, { taxCodes: { mode: 'codes', taxable: '4', nonTaxable: null } }).code).to.equal('tax_codes_missing');
  });

  describe('bad input: a typed refusal, never a throw', () => {
    const cases: Array<[string, () => ReturnType<typeof refusal>, string, string | undefined]> = [
      ['an empty invoice', () => refusal(workInvoice({ lines: [] })), 'no_lines', undefined],
      ['a quantity that is not a number', () => refusal(workInvoice({ lines: [workLine({ id: 'x', quantity: 'two' })] })), 'invalid_number', 'x'],
      ['a price in exponent form', () => refusal(workInvoice({ lines: [workLine({ id: 'x', unitPrice: '1e3' })] })), 'invalid_number', 'x'],
      ['a huge line', () => refusal(workInvoice({ lines: [workLine({ id: 'x', quantity: '100000', unitPrice: '100000.0000' })] })), 'amount_too_large', 'x'],
      [
        'a huge total of lines that each fit',
        () => refusal(workInvoice({ lines: [workLine({ id: 'x', quantity: '1', unitPrice: '6000000000' }), workLine({ id: 'y', position: 2, quantity: '1', unitPrice: '6000000000' })] })),
        'amount_too_large',
        undefined,
      ],
      ['a negative total', () => refusal(workInvoice({ lines: [workLine({ id: 'x', quantity: '-1', unitPrice: '10' })] })), 'negative_total', undefined],
      ['a line without a resolved item', () => refusal(workInvoice(), { itemIdByLineId: new Map() }), 'missing_item', 'l1'],
      ['no customer', () => refusal(workInvoice(), { customerId: ' ' }), 'missing_customer', undefined],
      ['a bad issue date', () => refusal(workInvoice({ issueDate: '20/11/2026' })), 'invalid_date', undefined],
      ['a bad due date', () => refusal(workInvoice({ dueDate: 'soon' })), 'invalid_date', undefined],
      [
        '751 lines with a taxable one',
        () => refusal(workInvoice({ lines: Array.from({ length: 751 }, (_, i) => workLine({ id: `l${i}`, position: i, taxable: i === 0 })) })),
        'too_many_lines',
        undefined,
      ],
    ];
    for (const [what, run, code, lineId] of cases) {
      it(`refuses ${what} with ${code}`, () => {
        const r = run();
        expect(r.code).to.equal(code);
        expect(r.lineId).to.equal(lineId);
        expect(r.detail).to.be.a('string').and.not.equal('');
      });
    }
  });

  it('sends 751 non-taxable lines (the 750 limit is for taxable invoices)', () => {
    const out = mapped(workInvoice({ lines: Array.from({ length: 751 }, (_, i) => workLine({ id: `l${i}`, position: i })) }));
    expect(out.body.Line).to.have.length(751);
  });

  it('sends a negative line when the total stays positive (a discount or a return)', () => {
    const out = mapped(workInvoice({ lines: [workLine({ id: 'a' }), workLine({ id: 'b', position: 2, quantity: '-1', unitPrice: '10.0000' })] }));
    expect(out.body.Line.map((l) => l.Amount.toFixed(2))).to.deep.equal(['91.00', '-10.00']);
    expect(out.qboSubtotal.toFixed(2)).to.equal('81.00');
  });

  it('sends a zero invoice with a warning (QBO accepts it and shows it as paid)', () => {
    const out = mapped(workInvoice({ lines: [workLine({ quantity: '0' })] }));
    expect(out.body.Line[0]?.Amount.toFixed(2)).to.equal('0.00');
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['zero_total']);
  });

  it('sends a line QBO cannot hold exactly as Qty 1 at its total, with Work\'s quantity and price in the description', () => {
    const out = mapped(workInvoice({ lines: [workLine({ id: 'a', description: 'Cable', quantity: '2.333333333', unitPrice: '0.3333' })] }));
    const line = out.body.Line[0];
    expect(line?.Description).to.equal('Cable (2.333333333 × 0.3333)');
    expect([line?.SalesItemLineDetail.Qty?.toFixed(), line?.SalesItemLineDetail.UnitPrice?.toFixed(), line?.Amount.toFixed()]).to.deep.equal(['1', '0.78', '0.78']);
    expect(out.warnings.map((w) => [w.code, w.lineId])).to.deep.equal([['line_sent_as_total', 'a']]);
  });

  it('cuts a description longer than 4000 characters and keeps the quantity note whole', () => {
    const out = mapped(workInvoice({ lines: [workLine({ description: 'x'.repeat(5000), quantity: '1', unitPrice: '0.125' })] }));
    const description = out.body.Line[0]?.Description ?? '';
    expect(description).to.have.length(4000);
    expect(description.endsWith('… (1 × 0.125)')).to.equal(true);
    expect(out.warnings.map((w) => w.code)).to.have.members(['line_sent_as_total', 'description_truncated']);
  });

  it('warns when Work\'s stored subtotal is not the sum of its lines (the lines are what is sent)', () => {
    const out = mapped({ ...workInvoice(), subtotal: '90.0000' });
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['work_total_mismatch']);
    expect(out.qboSubtotal.toFixed(2)).to.equal('91.00');
  });

  it('removes control characters from descriptions, keeping newlines', () => {
    const out = mapped(workInvoice({ lines: [workLine({ description: 'Line one\nLine\ttwo\u0000' })] }));
    expect(out.body.Line[0]?.Description).to.equal('Line one\nLine two');
  });

  describe('DocNumber', () => {
    it('keeps a number of 21 characters and shortens a longer one deterministically, full number in the private note', () => {
      expect(shortenDocNumber('A'.repeat(21))).to.deep.equal({ docNumber: 'A'.repeat(21), shortened: false });
      const long = 'PROJECT-2026-NORTHWIND-000123';
      const first = shortenDocNumber(long);
      expect(first.shortened).to.equal(true);
      expect(first.docNumber.length).to.be.at.most(QBO_DOC_NUMBER_MAX);
      expect(first.docNumber).to.match(/^PROJECT-2026~[0-9a-f]{8}$/);
      expect(shortenDocNumber(long)).to.deep.equal(first);
      expect(shortenDocNumber('PROJECT-2026-NORTHWIND-000124').docNumber).not.to.equal(first.docNumber);
      const out = mapped(workInvoice({ number: long }));
      expect(out.body.DocNumber).to.equal(first.docNumber);
      expect(out.body.PrivateNote).to.equal(`Work invoice ${long}`);
      expect(out.warnings.map((w) => w.code)).to.deep.equal(['doc_number_shortened']);
    });

    it('never splits a character made of two UTF-16 units', () => {
      const { docNumber } = shortenDocNumber('🧾'.repeat(15));
      expect(docNumber.length).to.be.at.most(QBO_DOC_NUMBER_MAX);
      expect(docNumber).to.match(/^(🧾)+~[0-9a-f]{8}$/u);
    });

    it('leaves the number to QBO when custom transaction numbers are off, and keeps Work\'s in the private note', () => {
      const out = mapped(workInvoice({ number: 'INV-77', notes: 'Gate code 1234' }), { customTxnNumbers: false });
      expect(out.body.DocNumber).to.equal(undefined);
      expect(out.body.PrivateNote).to.equal('Work invoice INV-77\nGate code 1234');
      expect(out.docNumber).to.deep.equal({ workNumber: 'INV-77', sent: null, shortened: false });
      expect(out.warnings.map((w) => w.code)).to.deep.equal(['doc_number_by_qbo']);
    });

    it('warns when Work has no number and QBO expects one', () => {
      const out = mapped(workInvoice({ number: '  ' }));
      expect(out.body.DocNumber).to.equal(undefined);
      expect(out.warnings.map((w) => w.code)).to.deep.equal(['no_invoice_number']);
    });
  });

  describe('update and payload hash', () => {
    it('builds a sparse update with the current SyncToken and every line (lines replaced as a set)', () => {
      const out = mapped(workInvoice());
      const body = invoiceUpdateBody({ Id: '130', SyncToken: '2' }, out.body);
      expect(body).to.include({ Id: '130', SyncToken: '2', sparse: true });
      expect(body.Line).to.equal(out.body.Line);
      expect(body.Line.every((l) => !('Id' in l))).to.equal(true);
    });

    it('hashes the payload canonically: equal amounts written differently hash the same; any sent change differs', () => {
      const base = mapped(workInvoice());
      expect(mapped(workInvoice({ updatedAt: new Date('2026-11-30T00:00:00Z') })).hash).to.equal(base.hash);
      expect(mapped(workInvoice({ lines: [workLine({ unitPrice: '45.50' })] })).hash).to.equal(base.hash);
      expect(mapped(workInvoice({ lines: [workLine({ unitPrice: '45.51' })] })).hash).not.to.equal(base.hash);
      expect(mapped(workInvoice({ dueDate: null })).hash).not.to.equal(base.hash);
      expect(invoicePayloadChanged(base.hash, base)).to.equal(false);
      expect(invoicePayloadChanged(null, base)).to.equal(true);
      expect(base.snapshot).to.deep.include({ TxnDate: '2026-11-20' });
    });
  });

  it('property: every line passes 6070 and QBO\'s subtotal is the sum of Work\'s line totals rounded, within ½¢ a line of Work\'s subtotal', () => {
    const lineArb = fc.record({ quantity: quantityArb, unitPrice: priceArb, taxable: fc.boolean() });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), (raw) => {
        const invoice = workInvoice({ lines: raw.map((l, i) => workLine({ id: `l${i}`, position: i, ...l })) });
        const out = mapped(invoice);
        for (const line of out.body.Line) {
          expect(passesQboAmountCheck(line.SalesItemLineDetail.Qty ?? new Exact(1), line.SalesItemLineDetail.UnitPrice ?? line.Amount, line.Amount)).to.equal(true);
        }
        const rounded = raw.reduce((acc, l) => acc.plus(roundCents(new Exact(l.quantity).times(l.unitPrice))), new Exact(0));
        expect(out.qboSubtotal.equals(rounded)).to.equal(true);
        const drift = out.qboSubtotal.minus(roundCents(invoice.subtotal)).abs();
        expect(drift.lessThanOrEqualTo(new Exact('0.005').times(raw.length).plus('0.005'))).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });
});
