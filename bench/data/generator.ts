/**
 * The benchmarks' data, generated from a seed: the same seed and size give the same records, byte for byte.
 *
 * Work side (one account): clients, sites, items, invoices with lines, payments, shaped like the stand-in's
 * tables (dev/host/migrations) so bench/data/load-work.ts can bulk-insert them. QuickBooks side (one company):
 * customers (some matching Work clients, some inactive, sub-customers under matched parents) and items, shaped
 * like QBO's JSON so bench/data/load-qbo.ts can bulk-load them through the sandbox's control API.
 *
 * Sizes (the issue fixes L; M is 1/5 of it, S 1/20):
 *   L: 5,000 Work clients with 4,000 sites; 6,000 QBO customers (3,000 matching a client, 500 inactive,
 *      2,000 sub-customers); 20,000 invoices; 15,000 payments.
 *
 * Names are hostile but valid for their side: quotes, backslashes, ampersands, HTML and script, emoji,
 * right-to-left and CJK text, accents, names at QuickBooks' length limits. Work-only names may also hold what
 * QuickBooks refuses (colon, tab, newline, 300 characters): the sync must clean those, not the generator.
 */
import Decimal from 'decimal.js';
import type { Size } from '../lib/figures';
import { Prng } from './prng';

export interface SizeSpec {
  workClients: number;
  workSites: number;
  items: number;
  invoices: number;
  payments: number;
  qboCustomers: number;
  /** Top-level QBO customers whose company name (and for half of them the email) meets a Work client. */
  qboMatching: number;
  qboInactive: number;
  qboSubCustomers: number;
  /** How many invoices the peer benchmark pushes (both clients push the same ones). */
  pushInvoices: number;
}

const L: SizeSpec = {
  workClients: 5000,
  workSites: 4000,
  items: 60,
  invoices: 20_000,
  payments: 15_000,
  qboCustomers: 6000,
  qboMatching: 3000,
  qboInactive: 500,
  qboSubCustomers: 2000,
  pushInvoices: 4000,
};

function scaled(divisor: number, pushInvoices: number, items: number): SizeSpec {
  const d = (n: number): number => Math.round(n / divisor);
  return {
    workClients: d(L.workClients),
    workSites: d(L.workSites),
    items,
    invoices: d(L.invoices),
    payments: d(L.payments),
    qboCustomers: d(L.qboCustomers),
    qboMatching: d(L.qboMatching),
    qboInactive: d(L.qboInactive),
    qboSubCustomers: d(L.qboSubCustomers),
    pushInvoices,
  };
}

export const SIZES: Readonly<Record<Size, SizeSpec>> = { S: scaled(20, 200, 12), M: scaled(5, 1000, 30), L };

export const DEFAULT_SEED = 20261201;

// ---- Work side: rows for the stand-in's tables (refs are 1-based and become the rows' ids) ----

export interface GenClient {
  ref: number;
  companyName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  active: boolean;
}

export interface GenSite {
  ref: number;
  clientRef: number;
  name: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface GenItem {
  ref: number;
  name: string;
  sku: string;
  kind: 'service' | 'product';
  /** Up to 4 decimals, as Work keeps prices. */
  unitPrice: string;
  taxable: boolean;
}

export interface GenLine {
  position: number;
  itemRef: number;
  description: string;
  quantity: string;
  unitPrice: string;
  taxable: boolean;
}

export interface GenInvoice {
  ref: number;
  clientRef: number;
  siteRef: number | null;
  number: string;
  issueDate: string;
  dueDate: string;
  /** Percent, e.g. "8.875". */
  taxRate: string;
  notes: string | null;
  lines: GenLine[];
}

export interface GenPayment {
  ref: number;
  clientRef: number;
  invoiceRef: number;
  /** Two decimals, > 0, never more than the invoice's subtotal. */
  amount: string;
  paidOn: string;
  method: string;
  reference: string | null;
}

// ---- QuickBooks side: JSON as QBO stores it; sub-customers name their parent by key ----

export interface GenQboCustomer {
  key: string;
  /** The Work client this customer meets, when it is one of the matching ones. */
  matchesClientRef: number | null;
  /** Key of the parent customer (sub-customers only). */
  parentKey: string | null;
  /** The Work site this sub-customer meets (same name under the matched client), if any. */
  matchesSiteRef: number | null;
  body: Record<string, unknown>;
}

export interface GenQboItem {
  /** The Work item of the same name. */
  itemRef: number;
  body: Record<string, unknown>;
}

export interface GeneratedData {
  size: Size;
  seed: number;
  spec: SizeSpec;
  work: { accountName: string; clients: GenClient[]; sites: GenSite[]; items: GenItem[]; invoices: GenInvoice[]; payments: GenPayment[] };
  qbo: { customers: GenQboCustomer[]; items: GenQboItem[] };
}

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Erin', 'Farah', 'Gustavo', 'Hana', 'Ivan', 'Józef', 'Kenji', 'Lena', 'Mateo', 'Noor', 'Olu', 'Priya'];
const LAST = ['Smith', "O'Neil", 'García', 'Nguyen', 'Müller', 'Kowalski', 'Okafor', 'Tanaka', 'Haddad', 'Svensson', 'Dubois', 'Rossi'];
const TRADE = ['Plumbing', 'Electric', 'HVAC', 'Roofing', 'Landscaping', 'Pest Control', 'Pool Service', 'Locksmiths', 'Glazing', 'Heating'];
const PLACE = ['Summit', 'Harbor', 'Oak Ridge', 'Riverside', 'Northgate', 'Maple', 'Bluebird', 'Granite', 'Cedar', 'Lakeside'];
const FORM = ['LLC', 'Inc.', 'Co.', '& Sons', 'Ltd', 'Group'];
const STATES: readonly (readonly [string, string, string])[] = [
  ['Austin', 'TX', '78701'],
  ['Portland', 'OR', '97201'],
  ['Denver', 'CO', '80202'],
  ['Boston', 'MA', '02108'],
  ['Tampa', 'FL', '33602'],
];

/** Company names QuickBooks accepts as they are: the matching pairs and QBO-only customers use these. */
const HOSTILE_VALID: readonly ((n: number) => string)[] = [
  (n) => `O'Brien & "Sons" Plumbing ${n}`,
  (n) => `Back\\slash Heating \\\\ ${n}`,
  (n) => `Café Ümlaut Électrique ${n}`,
  (n) => `東京配管株式会社 ${n}`,
  (n) => `שרברבות ירושלים ${n}`,
  (n) => `مؤسسة السباكة ${n}`,
  (n) => `Pipes 🚰 & Drains 🔧 ${n}`,
  (n) => `<b>Bold</b> <script>alert("x")</script> Repairs ${n}`,
  (n) => `Robert'); DROP TABLE clients;-- ${n}`,
  (n) => `${'Very Long Company Name '.repeat(5)}`.slice(0, 100 - ` ${n}`.length) + ` ${n}`,
  (n) => `%_wild*cards?_% Electric ${n}`,
  (n) => `Zero\u200bWidth Space Roofing ${n}`,
];

/** Valid in Work, refused by QuickBooks as is (2040 / 2050): only on Work-only clients. */
const HOSTILE_WORK_ONLY: readonly ((n: number) => string)[] = [
  (n) => `Smith: Plumbing ${n}`,
  (n) => `Tab\tSeparated HVAC ${n}`,
  (n) => `Two\nLine Roofing ${n}`,
  (n) => `${'Overlong Name '.repeat(22)}${n}`,
];

function cycle<T>(list: readonly T[], turn: number): T {
  const item = list[turn % list.length];
  if (item === undefined) throw new Error('cycle through an empty list');
  return item;
}

function plainCompany(rng: Prng, n: number): string {
  return `${rng.pick(PLACE)} ${rng.pick(TRADE)} ${rng.pick(FORM)} ${n}`;
}

function money4(rng: Prng, min: number, max: number): string {
  // One price in eight has 4 decimals (Work allows them; QBO lines take them as UnitPrice).
  const cents = rng.int(min * 100, max * 100);
  const base = new Decimal(cents).dividedBy(100);
  return rng.chance(0.125) ? base.plus(new Decimal(rng.int(1, 99)).dividedBy(10_000)).toFixed(4) : base.toFixed(2);
}

function isoDate(dayOfYear: number): string {
  return new Date(Date.UTC(2026, 0, 1) + dayOfYear * 86_400_000).toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function emailFor(n: number, hostile: boolean): string {
  // Valid addresses only: plus tags, subdomains, upper case (matching folds case).
  return hostile ? `Billing+Q${n}@Mail.Example-Co.test` : `billing${n}@example.test`;
}

function generateClients(rng: Prng, spec: SizeSpec): GenClient[] {
  return Array.from({ length: spec.workClients }, (_, i): GenClient => {
    const ref = i + 1;
    const matched = ref <= spec.qboMatching;
    const hostile = ref % 7 === 0;
    const [city, state, postalCode] = rng.pick(STATES);
    let companyName: string | null;
    // Hostile names take turns (not drawn), so every kind appears even at size S.
    const turn = ref / 7;
    if (hostile) companyName = matched ? cycle(HOSTILE_VALID, turn)(ref) : cycle([...HOSTILE_WORK_ONLY, ...HOSTILE_VALID], turn)(ref);
    else companyName = matched || !rng.chance(0.1) ? plainCompany(rng, ref) : null; // some sole traders have no company
    return {
      ref,
      companyName,
      firstName: rng.pick(FIRST),
      lastName: rng.pick(LAST),
      email: rng.chance(0.85) ? emailFor(ref, hostile) : null,
      phone: rng.chance(0.7) ? `+1 (555) ${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}` : null,
      addressLine1: `${rng.int(1, 9999)} ${rng.pick(PLACE)} St`,
      city,
      state,
      postalCode,
      country: 'US',
      active: !rng.chance(0.03),
    };
  });
}

function generateSites(rng: Prng, spec: SizeSpec, clients: GenClient[]): GenSite[] {
  // Sites go to the first clients, one or two each, so matched clients (the first ones) have sites.
  const sites: GenSite[] = [];
  for (let c = 0; sites.length < spec.workSites; c = (c + 1) % clients.length) {
    const client = clients[c];
    if (!client) break;
    const perClient = rng.int(1, 2);
    for (let k = 0; k < perClient && sites.length < spec.workSites; k += 1) {
      const ref = sites.length + 1;
      const [city, state, postalCode] = rng.pick(STATES);
      const name = ref % 9 === 0 ? `Site "${ref}" — ${rng.pick(['Ω Tower', 'Über Depot', '倉庫', 'Warehouse <B>'])}` : `${rng.pick(PLACE)} Site ${ref}`;
      sites.push({ ref, clientRef: client.ref, name, addressLine1: `${rng.int(1, 999)} Depot Rd`, city, state, postalCode, country: 'US' });
    }
  }
  return sites;
}

function generateItems(rng: Prng, spec: SizeSpec): GenItem[] {
  return Array.from({ length: spec.items }, (_, i): GenItem => {
    const ref = i + 1;
    const kind = rng.chance(0.5) ? 'service' : 'product';
    const name = ref % 5 === 0 ? `Fitting ¾" "Brass" #${ref}` : `${kind === 'service' ? 'Labour' : 'Part'} ${rng.pick(TRADE)} ${ref}`;
    return { ref, name, sku: `SKU-${String(ref).padStart(4, '0')}`, kind, unitPrice: money4(rng, 5, 400), taxable: kind === 'product' };
  });
}

function subtotalOf(lines: readonly GenLine[]): Decimal {
  return lines.reduce((sum, line) => sum.plus(new Decimal(line.quantity).times(line.unitPrice)), new Decimal(0));
}

function generateInvoices(rng: Prng, spec: SizeSpec, clients: GenClient[], sites: GenSite[], items: GenItem[]): GenInvoice[] {
  const sitesOf = new Map<number, GenSite[]>();
  for (const site of sites) sitesOf.set(site.clientRef, [...(sitesOf.get(site.clientRef) ?? []), site]);
  return Array.from({ length: spec.invoices }, (_, i): GenInvoice => {
    const ref = i + 1;
    const client = clients[i % clients.length];
    if (!client) throw new Error('no clients to invoice');
    const clientSites = sitesOf.get(client.ref) ?? [];
    const site = clientSites.length > 0 && rng.chance(0.6) ? rng.pick(clientSites) : null;
    const lineCount = rng.int(1, 4);
    const lines = Array.from({ length: lineCount }, (_, position): GenLine => {
      const item = rng.pick(items);
      const quantity = rng.chance(0.2) ? (rng.int(25, 1000) / 100).toFixed(2) : String(rng.int(1, 12));
      return { position, itemRef: item.ref, description: position === 0 && ref % 11 === 0 ? `Line with <tags> & "quotes" ✓ ${ref}` : `${item.name} work`, quantity, unitPrice: item.unitPrice, taxable: item.taxable };
    });
    const issueDay = rng.int(0, 300);
    // One in 500 numbers is longer than QuickBooks' 21 characters (Work allows 50; the plugin reports it).
    const number = ref % 500 === 0 ? `INV-2026-FIELD-SERVICE-${ref}` : `INV-${String(ref).padStart(6, '0')}`;
    return {
      ref,
      clientRef: client.ref,
      siteRef: site?.ref ?? null,
      number,
      issueDate: isoDate(issueDay),
      dueDate: isoDate(issueDay + 30),
      taxRate: rng.pick(['0', '8.875', '6.25', '7.5']),
      notes: rng.chance(0.1) ? `Gate code "1234" \\ ask for Zoë ${ref}` : null,
      lines,
    };
  });
}

function generatePayments(rng: Prng, spec: SizeSpec, invoices: GenInvoice[]): GenPayment[] {
  return Array.from({ length: spec.payments }, (_, i): GenPayment => {
    const invoice = invoices[i % invoices.length];
    if (!invoice) throw new Error('no invoices to pay');
    const subtotal = subtotalOf(invoice.lines);
    // Full payment mostly, partial sometimes; never zero, never above the subtotal.
    const share = rng.chance(0.75) ? new Decimal(1) : new Decimal(rng.int(10, 90)).dividedBy(100);
    const amount = Decimal.max(new Decimal('0.01'), subtotal.times(share).toDecimalPlaces(2, Decimal.ROUND_DOWN));
    return {
      ref: i + 1,
      clientRef: invoice.clientRef,
      invoiceRef: invoice.ref,
      amount: amount.toFixed(2),
      paidOn: addDays(invoice.issueDate, rng.int(0, 60)),
      method: rng.pick(['cash', 'check', 'card', 'transfer']),
      reference: rng.chance(0.5) ? `CHK-${rng.int(1000, 99_999)}` : null,
    };
  });
}

function customerBody(displayName: string, companyName: string | null, given: string | null, family: string | null, email: string | null, active: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    DisplayName: active ? displayName : `${displayName} (deleted)`,
    PrintOnCheckName: (companyName ?? displayName).slice(0, 110),
    Active: active,
    Job: false,
    BillWithParent: false,
    Taxable: true,
    Balance: 0,
    BalanceWithJobs: 0,
    CurrencyRef: { value: 'USD', name: 'United States Dollar' },
    PreferredDeliveryMethod: 'Print',
  };
  if (companyName !== null) body['CompanyName'] = companyName;
  if (given !== null) body['GivenName'] = given;
  if (family !== null) body['FamilyName'] = family;
  if (email !== null) body['PrimaryEmailAddr'] = { Address: email };
  return body;
}

function generateQboCustomers(rng: Prng, spec: SizeSpec, clients: GenClient[], sites: GenSite[]): GenQboCustomer[] {
  const topLevel = spec.qboCustomers - spec.qboSubCustomers;
  const customers: GenQboCustomer[] = [];
  for (let i = 0; i < topLevel; i += 1) {
    const client = i < spec.qboMatching ? clients[i] : undefined;
    if (client) {
      // Matches by company name; half also by email (the FAQ's strongest rule).
      const company = client.companyName ?? plainCompany(rng, client.ref);
      const email = i % 2 === 0 ? client.email : emailFor(100_000 + i, false);
      customers.push({ key: `c${i}`, matchesClientRef: client.ref, parentKey: null, matchesSiteRef: null, body: customerBody(company, company, client.firstName, client.lastName, email, true) });
      continue;
    }
    // QuickBooks-only customers: the last qboInactive of them are inactive.
    const n = 200_000 + i;
    const name = i % 7 === 0 ? rng.pick(HOSTILE_VALID)(n) : plainCompany(rng, n);
    const active = i < topLevel - spec.qboInactive;
    customers.push({ key: `c${i}`, matchesClientRef: null, parentKey: null, matchesSiteRef: null, body: customerBody(name, name, rng.pick(FIRST), rng.pick(LAST), emailFor(n, false), active) });
  }
  // Sub-customers under matched parents: the first ones named like the client's sites, the rest QBO-only jobs.
  const matchedParents = customers.filter((c) => c.matchesClientRef !== null);
  const sitesOf = new Map<number, GenSite[]>();
  for (const site of sites) sitesOf.set(site.clientRef, [...(sitesOf.get(site.clientRef) ?? []), site]);
  const siteMatches = matchedParents.flatMap((parent) => (sitesOf.get(parent.matchesClientRef ?? 0) ?? []).map((site) => ({ parent, site })));
  for (let j = 0; j < spec.qboSubCustomers; j += 1) {
    const pair = j < Math.floor(spec.qboSubCustomers / 2) ? siteMatches[j] : undefined;
    const parent = pair?.parent ?? matchedParents[j % Math.max(1, matchedParents.length)] ?? customers[j % customers.length];
    if (!parent) throw new Error('no parent for a sub-customer');
    const name = pair ? pair.site.name : `Job ${rng.pick(PLACE)} ${300_000 + j}`;
    const body = customerBody(name, null, null, null, null, true);
    body['Job'] = true;
    customers.push({ key: `s${j}`, matchesClientRef: null, parentKey: parent.key, matchesSiteRef: pair?.site.ref ?? null, body });
  }
  return customers;
}

function generateQboItems(items: GenItem[]): GenQboItem[] {
  return items.map((item) => ({
    itemRef: item.ref,
    body: {
      Name: item.name,
      FullyQualifiedName: item.name,
      Sku: item.sku,
      Active: true,
      Type: item.kind === 'service' ? 'Service' : 'NonInventory',
      Taxable: item.taxable,
      UnitPrice: Number(item.unitPrice),
      IncomeAccountRef: { value: '1', name: 'Services' },
      TrackQtyOnHand: false,
    },
  }));
}

/** Everything for one size, from one seed. Pure: no clock, no I/O, no Math.random. */
export function generate(size: Size, seed: number = DEFAULT_SEED): GeneratedData {
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown size ${JSON.stringify(size)}: use S, M or L`);
  const rng = new Prng(seed);
  const clients = generateClients(rng, spec);
  const sites = generateSites(rng, spec, clients);
  const items = generateItems(rng, spec);
  const invoices = generateInvoices(rng, spec, clients, sites, items);
  const payments = generatePayments(rng, spec, invoices);
  const customers = generateQboCustomers(rng, spec, clients, sites);
  return {
    size,
    seed,
    spec,
    work: { accountName: `Bench Field Services ${size}`, clients, sites, items, invoices, payments },
    qbo: { customers, items: generateQboItems(items) },
  };
}

export function parseSize(text: string): Size {
  const upper = text.toUpperCase();
  if (upper === 'S' || upper === 'M' || upper === 'L') return upper;
  throw new Error(`--size must be S, M or L, got ${JSON.stringify(text)}`);
}
