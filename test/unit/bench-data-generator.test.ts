import { expect } from 'chai';
import Decimal from 'decimal.js';
import { DEFAULT_SEED, generate, parseSize, SIZES, type GeneratedData } from '../../bench/data/generator';
import { Prng } from '../../bench/data/prng';

const codePoints = (s: string): number => [...s].length;

describe('bench data generator', () => {
  const cache = new Map<string, GeneratedData>();
  const data = (size: 'S' | 'M' | 'L', seed = DEFAULT_SEED): GeneratedData => {
    const key = `${size}:${seed}`;
    let d = cache.get(key);
    if (!d) cache.set(key, (d = generate(size, seed)));
    return d;
  };

  describe('determinism', () => {
    it('gives the same data, byte for byte, for the same seed and size', () => {
      for (const size of ['S', 'M'] as const) expect(JSON.stringify(generate(size, 42))).to.equal(JSON.stringify(generate(size, 42)));
    });

    it('gives different data for another seed', () => {
      expect(JSON.stringify(generate('S', 1).work.clients)).to.not.equal(JSON.stringify(generate('S', 2).work.clients));
    });

    it('draws the same sequence from the same seed, in [0, 1)', () => {
      const a = new Prng(7);
      const b = new Prng(7);
      const drawn = Array.from({ length: 1000 }, () => a.next());
      expect(drawn).to.deep.equal(Array.from({ length: 1000 }, () => b.next()));
      expect(drawn.every((x) => x >= 0 && x < 1)).to.equal(true);
      expect(new Set(drawn).size).to.be.greaterThan(990);
    });

    it('refuses a seed that is not an integer and a size that is not S, M or L, saying which', () => {
      expect(() => new Prng(1.5)).to.throw('seed must be an integer, got 1.5');
      expect(() => parseSize('XL')).to.throw('--size must be S, M or L, got "XL"');
      expect(parseSize('m')).to.equal('M');
    });
  });

  describe('size contract', () => {
    it('L is the issue’s size: 5,000 clients, 4,000 sites, 6,000 customers (3,000 matching, 500 inactive, 2,000 sub), 20,000 invoices, 15,000 payments', () => {
      expect(SIZES.L).to.include({ workClients: 5000, workSites: 4000, qboCustomers: 6000, qboMatching: 3000, qboInactive: 500, qboSubCustomers: 2000, invoices: 20_000, payments: 15_000 });
    });

    it('M is 1/5 and S 1/20 of L', () => {
      for (const [size, divisor] of [['M', 5], ['S', 20]] as const) {
        for (const key of ['workClients', 'workSites', 'qboCustomers', 'qboMatching', 'qboInactive', 'qboSubCustomers', 'invoices', 'payments'] as const) {
          expect(SIZES[size][key], `${size}.${key}`).to.equal(SIZES.L[key] / divisor);
        }
      }
    });

    for (const size of ['S', 'M', 'L'] as const) {
      it(`${size}: the records number what the spec says, and the QBO side has that many matching, inactive and sub-customers`, () => {
        const d = data(size);
        const spec = SIZES[size];
        expect(d.work.clients).to.have.length(spec.workClients);
        expect(d.work.sites).to.have.length(spec.workSites);
        expect(d.work.items).to.have.length(spec.items);
        expect(d.work.invoices).to.have.length(spec.invoices);
        expect(d.work.payments).to.have.length(spec.payments);
        expect(d.qbo.customers).to.have.length(spec.qboCustomers);
        expect(d.qbo.customers.filter((c) => c.body['Job'] === true && c.parentKey !== null)).to.have.length(spec.qboSubCustomers);
        expect(d.qbo.customers.filter((c) => c.body['Active'] === false)).to.have.length(spec.qboInactive);
        // Matching is checked on the data, not on the generator's own labels: same company name as a Work client.
        const workCompanies = new Set(d.work.clients.map((c) => c.companyName).filter((n): n is string => n !== null));
        const matching = d.qbo.customers.filter((c) => c.parentKey === null && c.body['Active'] === true && workCompanies.has(String(c.body['CompanyName'])));
        expect(matching).to.have.length(spec.qboMatching);
        expect(d.qbo.customers.filter((c) => c.matchesSiteRef !== null).length).to.equal(spec.qboSubCustomers / 2);
        const matchedClients = new Set(matching.map((c) => c.matchesClientRef));
        expect(d.work.invoices.filter((inv) => matchedClients.has(inv.clientRef)).length).to.be.at.least(spec.pushInvoices);
      });
    }
  });

  describe('validity of each side', () => {
    it('QBO customers are valid as QuickBooks stores them: unique names (any case), no colon, tab or newline, lengths within limits', () => {
      const d = data('M');
      const names = d.qbo.customers.map((c) => String(c.body['DisplayName']));
      expect(new Set(names.map((n) => n.toLowerCase())).size).to.equal(names.length);
      for (const c of d.qbo.customers) {
        const name = String(c.body['DisplayName']);
        expect(name, name).to.not.match(/[:\t\n]/);
        expect(codePoints(name)).to.be.at.most(500);
        if (c.body['CompanyName'] !== undefined) expect(codePoints(String(c.body['CompanyName']))).to.be.at.most(100);
        if (c.body['Active'] === false) expect(name.endsWith(' (deleted)')).to.equal(true);
      }
    });

    it('Work rows obey the stand-in’s schema: positive quantities, payments > 0 and ≤ the invoice subtotal, unique numbers ≤ 50 characters', () => {
      const d = data('M');
      const byRef = new Map(d.work.invoices.map((inv) => [inv.ref, inv]));
      expect(new Set(d.work.invoices.map((inv) => inv.number)).size).to.equal(d.work.invoices.length);
      for (const inv of d.work.invoices) {
        expect(inv.number.length).to.be.at.most(50);
        expect(Number(inv.taxRate)).to.be.within(0, 99.9999);
        for (const line of inv.lines) expect(new Decimal(line.quantity).greaterThan(0)).to.equal(true);
      }
      for (const p of d.work.payments) {
        const inv = byRef.get(p.invoiceRef);
        if (!inv) throw new Error(`payment ${p.ref} of a missing invoice`);
        const subtotal = inv.lines.reduce((s, l) => s.plus(new Decimal(l.quantity).times(l.unitPrice)), new Decimal(0));
        expect(new Decimal(p.amount).greaterThan(0), `payment ${p.ref}`).to.equal(true);
        expect(new Decimal(p.amount).lessThanOrEqualTo(subtotal), `payment ${p.ref}`).to.equal(true);
        expect(p.clientRef).to.equal(inv.clientRef);
      }
    });

    it('holds the hostile names: quotes, backslashes, HTML and script, emoji, right-to-left and CJK text, and Work-only colons, tabs and newlines', () => {
      const names = data('S').work.clients.map((c) => c.companyName ?? '');
      for (const pattern of [/'/, /"/, /\\/, /<script>/, /\p{Extended_Pictographic}/u, /[\u0590-\u06FF]/, /[\u4E00-\u9FFF]/, /:/, /\t/, /\n/]) {
        expect(names.some((n) => pattern.test(n)), String(pattern)).to.equal(true);
      }
      expect(names.some((n) => codePoints(n) > 100)).to.equal(true);
    });
  });
});
