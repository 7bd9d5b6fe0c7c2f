/**
 * DocNumber clashes found before the create (pure). With custom transaction numbers on, QBO refuses a
 * duplicate DocNumber (6140); one query per batch (`DocNumber IN (…)`) finds the numbers already taken, and
 * this decides per invoice:
 * - 'send': the number is free (or taken by this invoice's own QBO invoice: an update);
 * - 'link': a QBO invoice with this number is ours (same customer, and its private note names this Work
 *   invoice): an earlier create whose answer was lost before the mapping was stored; link, don't create;
 * - 'clash': someone else's invoice holds the number, or another invoice of this batch sends it first.
 * (Compare InvoiceCollisionPolicy in invoiceninja: check before create, then link or flag.)
 */
import type { MappedInvoice } from '../mappers/invoice-invoice';

export interface DocNumberCandidate {
  workInvoiceId: string;
  /** The invoice's QBO id when it is mapped already (an update). */
  mappedQboId: string | null;
  mapped: Pick<MappedInvoice, 'body' | 'docNumber'>;
}

export interface QboInvoiceByNumber {
  Id: string;
  DocNumber?: string | undefined;
  CustomerRef?: { value: string } | undefined;
  PrivateNote?: string | undefined;
}

export type DocNumberDecision =
  | { decision: 'send' }
  | { decision: 'link'; qboId: string }
  | { decision: 'clash'; docNumber: string; takenBy: { qboId: string } | { workInvoiceId: string } };

/** The DocNumbers of a batch to look up (custom numbers on only; others send none). */
export function docNumbersToCheck(candidates: readonly DocNumberCandidate[]): string[] {
  return [...new Set(candidates.map((c) => c.mapped.docNumber.sent).filter((n): n is string => n !== null))].sort();
}

export function decideDocNumbers(candidates: readonly DocNumberCandidate[], found: readonly QboInvoiceByNumber[]): Map<string, DocNumberDecision> {
  const out = new Map<string, DocNumberDecision>();
  const claimed = new Map<string, string>(); // DocNumber (QBO compares it as sent) → Work invoice id of this batch
  for (const candidate of candidates) {
    const number = candidate.mapped.docNumber.sent;
    if (number === null) {
      out.set(candidate.workInvoiceId, { decision: 'send' });
      continue;
    }
    const holders = found.filter((inv) => inv.DocNumber === number && inv.Id !== candidate.mappedQboId);
    const ours = candidate.mappedQboId === null ? holders.find((inv) => isOurs(inv, candidate)) : undefined;
    const other = holders.find((inv) => inv !== ours);
    const earlier = claimed.get(number);
    if (earlier !== undefined) out.set(candidate.workInvoiceId, { decision: 'clash', docNumber: number, takenBy: { workInvoiceId: earlier } });
    else if (ours && !other) out.set(candidate.workInvoiceId, { decision: 'link', qboId: ours.Id });
    else if (other) out.set(candidate.workInvoiceId, { decision: 'clash', docNumber: number, takenBy: { qboId: other.Id } });
    else out.set(candidate.workInvoiceId, { decision: 'send' });
    if (earlier === undefined) claimed.set(number, candidate.workInvoiceId);
  }
  return out;
}

function isOurs(found: QboInvoiceByNumber, candidate: DocNumberCandidate): boolean {
  const note = candidate.mapped.body.PrivateNote ?? '';
  const firstLine = note.split('\n')[0] ?? '';
  return found.CustomerRef?.value === candidate.mapped.body.CustomerRef.value && firstLine !== '' && (found.PrivateNote ?? '').split('\n')[0] === firstLine;
}
