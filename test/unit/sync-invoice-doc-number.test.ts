import { expect } from 'chai';
import { mapInvoice, type MappedInvoice } from '../../plugin/sync/mappers/invoice-invoice';
import { decideDocNumbers, docNumbersToCheck, type DocNumberCandidate } from '../../plugin/sync/plan/doc-number-clash';
import { workInvoice } from '../support/invoice-fixtures';

function candidate(id: string, number: string, mappedQboId: string | null = null, customTxnNumbers = true): DocNumberCandidate {
  const invoice = workInvoice({ id, number });
  const result = mapInvoice({ invoice, customerId: '58', itemIdByLineId: new Map(invoice.lines.map((l) => [l.id, '1'])), taxCodes: { mode: 'us' }, customTxnNumbers });
  if (!result.ok) throw new Error(result.refusal.code);
  const mapped: MappedInvoice = result.invoice;
  return { workInvoiceId: id, mappedQboId, mapped };
}

describe('sync DocNumber clashes, found before the create', () => {
  it('looks up each sent number once, and none when QBO numbers invoices itself', () => {
    expect(docNumbersToCheck([candidate('a', 'INV-1'), candidate('b', 'INV-2'), candidate('c', 'INV-1')])).to.deep.equal(['INV-1', 'INV-2']);
    expect(docNumbersToCheck([candidate('a', 'INV-1', null, false)])).to.deep.equal([]);
  });

  it('sends free numbers, and an update whose number its own QBO invoice holds', () => {
    const decisions = decideDocNumbers([candidate('a', 'INV-1'), candidate('b', 'INV-2', '130')], [{ Id: '130', DocNumber: 'INV-2' }]);
    expect(Object.fromEntries(decisions)).to.deep.equal({ a: { decision: 'send' }, b: { decision: 'send' } });
  });

  it('flags a number held by someone else\'s QBO invoice (6140 avoided)', () => {
    const decisions = decideDocNumbers([candidate('a', 'INV-1')], [{ Id: '99', DocNumber: 'INV-1', CustomerRef: { value: '7' }, PrivateNote: 'typed by hand' }]);
    expect(decisions.get('a')).to.deep.equal({ decision: 'clash', docNumber: 'INV-1', takenBy: { qboId: '99' } });
  });

  it('links an unmapped invoice to its own earlier create (same customer, private note names it) instead of creating again', () => {
    const decisions = decideDocNumbers([candidate('a', 'INV-1')], [{ Id: '140', DocNumber: 'INV-1', CustomerRef: { value: '58' }, PrivateNote: 'Work invoice INV-1' }]);
    expect(decisions.get('a')).to.deep.equal({ decision: 'link', qboId: '140' });
  });

  it('lets the first of two invoices of one batch with the same number go, and flags the second', () => {
    const decisions = decideDocNumbers([candidate('a', 'INV-1'), candidate('b', 'INV-1')], []);
    expect(Object.fromEntries(decisions)).to.deep.equal({ a: { decision: 'send' }, b: { decision: 'clash', docNumber: 'INV-1', takenBy: { workInvoiceId: 'a' } } });
  });

  it('compares shortened numbers as sent', () => {
    const long = candidate('a', 'PROJECT-2026-NORTHWIND-000123');
    const sent = long.mapped.docNumber.sent ?? '';
    const decisions = decideDocNumbers([long], [{ Id: '99', DocNumber: sent }]);
    expect(decisions.get('a')).to.deep.equal({ decision: 'clash', docNumber: sent, takenBy: { qboId: '99' } });
  });
});
