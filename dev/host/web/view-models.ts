import type { WorkClient, WorkItem, WorkPayment, WorkSite } from '../../../plugin/host/work-records';
import { formatExact, formatMoneyForDisplay, lineAmounts } from '../invoice-arithmetic';
import type { StandinInvoice } from '../models/invoice-model';

/** Everything the templates print is prepared here, so templates only place text. */

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export function clientLabel(c: Pick<WorkClient, 'companyName' | 'firstName' | 'lastName' | 'id'>): string {
  const person = [c.firstName, c.lastName].filter((s): s is string => Boolean(s)).join(' ');
  if (c.companyName && person) return `${c.companyName} (${person})`;
  return c.companyName || person || `Client #${c.id} (no name)`;
}

export function clientOptions(clients: WorkClient[], selected: string): Option[] {
  return clients.map((c) => ({ value: c.id, label: clientLabel(c), selected: c.id === selected }));
}

export interface OptionGroup {
  label: string;
  options: Option[];
}

/**
 * The sites an invoice may name, grouped under their client. Once a client is chosen only its sites are
 * offered (no script needed: the page is drawn with the chosen client); before that, every client's.
 */
export function siteOptionGroups(sites: WorkSite[], clients: WorkClient[], chosenClientId: string, selected: string): OptionGroup[] {
  const chosen = clients.some((c) => c.id === chosenClientId) ? chosenClientId : null;
  return clients
    .filter((c) => chosen === null || c.id === chosen)
    .map((c) => ({
      label: clientLabel(c),
      options: sites.filter((s) => s.clientId === c.id).map((s) => ({ value: s.id, label: s.active ? s.name : `${s.name} (inactive)`, selected: s.id === selected })),
    }))
    .filter((g) => g.options.length > 0);
}

export interface SiteListRowView extends SiteRowView {
  client: string;
}

/** The Sites page: every site of the account with its client, ordered by client then site. */
export function siteListRows(sites: WorkSite[], clients: WorkClient[]): SiteListRowView[] {
  const names = new Map(clients.map((c) => [c.id, clientLabel(c)]));
  return sites
    .map((s) => ({ ...siteRow(s), client: names.get(s.clientId) ?? 'Unknown client' }))
    .sort((a, b) => a.client.localeCompare(b.client) || a.name.localeCompare(b.name));
}

export function itemOptions(items: WorkItem[], selected: string): Option[] {
  return items.map((i) => ({ value: i.id, label: i.unitPrice ? `${i.name} (${formatMoneyForDisplay(i.unitPrice)})` : i.name, selected: i.id === selected }));
}

export function invoiceOptions(invoices: StandinInvoice[], clients: WorkClient[], selected: string): Option[] {
  const names = new Map(clients.map((c) => [c.id, clientLabel(c)]));
  return invoices.map((inv) => ({
    value: inv.id,
    label: `${inv.number} — ${names.get(inv.clientId) ?? 'Unknown client'} — ${formatMoneyForDisplay(inv.total)}`,
    selected: inv.id === selected,
  }));
}

export function textOptions(values: readonly string[], selected: string): Option[] {
  return values.map((v) => ({ value: v, label: v, selected: v === selected }));
}

export interface ClientRowView {
  id: string;
  name: string;
  email: string;
  phone: string;
  city: string;
  status: string;
}

export function clientRow(c: WorkClient): ClientRowView {
  return { id: c.id, name: clientLabel(c), email: c.email ?? '—', phone: c.phone ?? '—', city: c.billingAddress.city ?? '—', status: c.active ? 'Active' : 'Inactive' };
}

export interface SiteRowView {
  id: string;
  clientId: string;
  name: string;
  contact: string;
  address: string;
  status: string;
}

export function siteRow(s: WorkSite): SiteRowView {
  const address = [s.address.line1, s.address.city, s.address.state].filter((x): x is string => Boolean(x)).join(', ');
  return { id: s.id, clientId: s.clientId, name: s.name, contact: s.contactName ?? '—', address: address || '—', status: s.active ? 'Active' : 'Inactive' };
}

export interface InvoiceRowView {
  id: string;
  number: string;
  client: string;
  issueDate: string;
  total: string;
}

export function invoiceRow(inv: StandinInvoice, clientNames: Map<string, string>): InvoiceRowView {
  return { id: inv.id, number: inv.number, client: clientNames.get(inv.clientId) ?? 'Unknown client', issueDate: inv.issueDate, total: formatMoneyForDisplay(inv.total) };
}

export interface InvoiceDetailView extends InvoiceRowView {
  site: string;
  dueDate: string;
  notes: string;
  taxRate: string;
  lines: { position: number; description: string; item: string; quantity: string; unitPrice: string; amount: string; taxable: string; taxAmount: string }[];
  subtotal: string;
  taxTotal: string;
  taxTotalExact: string;
  totalExact: string;
}

export function invoiceDetail(inv: StandinInvoice, clientName: string, siteName: string | null, itemNames: Map<string, string>): InvoiceDetailView {
  return {
    ...invoiceRow(inv, new Map([[inv.clientId, clientName]])),
    site: siteName ?? '—',
    dueDate: inv.dueDate ?? '—',
    notes: inv.notes ?? '',
    taxRate: `${formatExact(inv.taxRate).replace(/\.?0+$/, '')} %`,
    lines: inv.lines.map((l) => ({
      position: l.position,
      description: l.description,
      item: l.itemId ? (itemNames.get(l.itemId) ?? '—') : '—',
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: lineAmounts(l, inv.taxRate).amount,
      taxable: l.taxable ? 'Yes' : 'No',
      taxAmount: l.taxAmount,
    })),
    subtotal: formatMoneyForDisplay(inv.subtotal),
    taxTotal: formatMoneyForDisplay(inv.taxTotal),
    taxTotalExact: inv.taxTotal,
    totalExact: inv.total,
  };
}

export interface PaymentRowView {
  id: string;
  client: string;
  invoice: string;
  amount: string;
  paidOn: string;
  method: string;
  reference: string;
}

export function paymentRow(p: WorkPayment, clientNames: Map<string, string>, invoiceNumbers: Map<string, string>): PaymentRowView {
  return {
    id: p.id,
    client: clientNames.get(p.clientId) ?? 'Unknown client',
    invoice: p.invoiceId ? (invoiceNumbers.get(p.invoiceId) ?? '—') : '—',
    amount: formatMoneyForDisplay(p.amount),
    paidOn: p.paidOn,
    method: p.method ?? '—',
    reference: p.reference ?? '—',
  };
}

/** Today as YYYY-MM-DD in UTC, for new forms. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export interface ItemRowView {
  name: string;
  sku: string;
  kind: string;
  unitPrice: string;
  taxable: string;
  status: string;
}

export function itemRow(i: WorkItem): ItemRowView {
  return {
    name: i.name,
    sku: i.sku ?? '—',
    kind: i.kind === 'service' ? 'Service' : 'Product',
    unitPrice: i.unitPrice ?? '—',
    taxable: i.taxable ? 'Yes' : 'No',
    status: i.active ? 'Active' : 'Inactive',
  };
}
