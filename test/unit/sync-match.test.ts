import { expect } from 'chai';
import fc from 'fast-check';
import { isActiveTopLevelCustomer, matchClients, matchOnFor } from '../../plugin/sync/plan/match';
import type { MatchResult } from '../../plugin/sync/plan/types';
import type { WorkClient } from '../../plugin/host/work-records';
import type { QboCustomer } from '../../plugin/qbo/entities/customer';
import { permute, qboCustomer, subCustomer, workClient } from '../support/sync-plan-fixtures';

const email = (address: string): QboCustomer['PrimaryEmailAddr'] => ({ Address: address });

describe('sync plan: matchClients (FAQ "What if I have the same customer in QuickBooks and Work?")', () => {
  it('matches on company name and email first', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme Inc.', email: 'A@acme.com' })], [qboCustomer('q1', { CompanyName: 'ACME inc', PrimaryEmailAddr: email('a@acme.com') })]);
    expect(r.matched).to.deep.equal([{ workId: 'w1', qboId: 'q1', on: 'company_and_email' }]);
    expect(r).to.deep.include({ ambiguous: [], workOnly: [], qboOnly: [] });
  });

  it('then on company name alone, even when the emails differ or are blank', () => {
    const r = matchClients(
      [workClient('w1', { companyName: 'Smith & Sons', email: 'x@smith.com' }), workClient('w2', { companyName: 'Bolt Ltd.' })],
      [qboCustomer('q1', { CompanyName: 'Smith and Sons', PrimaryEmailAddr: email('y@smith.com') }), qboCustomer('q2', { CompanyName: 'Bolt Ltd' })],
    );
    expect(r.matched).to.deep.equal([
      { workId: 'w1', qboId: 'q1', on: 'company' },
      { workId: 'w2', qboId: 'q2', on: 'company' },
    ]);
  });

  it('uses the email to tell apart two customers with the same company name', () => {
    const r = matchClients(
      [workClient('w1', { companyName: 'Acme', email: 'east@acme.com' }), workClient('w2', { companyName: 'Acme', email: 'west@acme.com' })],
      [qboCustomer('q1', { CompanyName: 'Acme', DisplayName: 'Acme East', PrimaryEmailAddr: email('EAST@acme.com') }), qboCustomer('q2', { CompanyName: 'Acme', DisplayName: 'Acme West', PrimaryEmailAddr: email('west@acme.com') })],
    );
    expect(r.matched).to.deep.equal([
      { workId: 'w1', qboId: 'q1', on: 'company_and_email' },
      { workId: 'w2', qboId: 'q2', on: 'company_and_email' },
    ]);
    expect(r.ambiguous).to.deep.equal([]);
  });

  it('sends two QBO candidates for one client to review, never a guess', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme' })], [qboCustomer('q2', { CompanyName: 'Acme', DisplayName: 'Acme 2' }), qboCustomer('q1', { CompanyName: 'acme' })]);
    expect(r.matched).to.deep.equal([]);
    expect(r.ambiguous).to.deep.equal([{ workIds: ['w1'], qboIds: ['q1', 'q2'], on: 'company', reason: 'several_qbo_candidates' }]);
  });

  it('sends two Work clients for one QBO customer to review', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme', email: 'a@acme.com' }), workClient('w2', { companyName: 'Acme', email: 'a@acme.com' })], [qboCustomer('q1', { CompanyName: 'Acme', PrimaryEmailAddr: email('a@acme.com') })]);
    expect(r.ambiguous).to.deep.equal([{ workIds: ['w1', 'w2'], qboIds: ['q1'], on: 'company_and_email', reason: 'several_work_candidates' }]);
    expect(r.workOnly).to.deep.equal([]);
  });

  it('reports several on both sides as such', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme' }), workClient('w2', { companyName: 'Acme' })], [qboCustomer('q1', { CompanyName: 'Acme' }), qboCustomer('q2', { CompanyName: 'Acme', DisplayName: 'Acme (2)' })]);
    expect(r.ambiguous).to.deep.equal([{ workIds: ['w1', 'w2'], qboIds: ['q1', 'q2'], on: 'company', reason: 'several_both_sides' }]);
  });

  it('leaves what pass 1 linked out of pass 2 (the remaining same-name record stays unmatched)', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme', email: 'a@acme.com' })], [qboCustomer('q1', { CompanyName: 'Acme', PrimaryEmailAddr: email('a@acme.com') }), qboCustomer('q2', { CompanyName: 'Acme', DisplayName: 'Acme B' })]);
    expect(r.matched).to.deep.equal([{ workId: 'w1', qboId: 'q1', on: 'company_and_email' }]);
    expect(r.qboOnly).to.deep.equal(['q2']);
  });

  const blanks: Array<[string, Partial<WorkClient>, Partial<QboCustomer>]> = [
    ['blank company names on both sides, same email', { companyName: '  ', email: 'a@x.com' }, { CompanyName: '', DisplayName: 'A', PrimaryEmailAddr: email('a@x.com') }],
    ['null company names, same person name', { companyName: null, firstName: 'Jo', lastName: 'Lee' }, { GivenName: 'Jo', FamilyName: 'Lee', DisplayName: 'Jo Lee' }],
    ['company only in the QBO DisplayName', { companyName: 'Acme' }, { DisplayName: 'Acme' }],
    ['punctuation-only company names', { companyName: '.,' }, { CompanyName: ',', DisplayName: 'x' }],
  ];
  for (const [what, w, q] of blanks) {
    it(`never matches ${what}`, () => {
      const r = matchClients([workClient('w1', w)], [qboCustomer('q1', q)]);
      expect(r.matched).to.deep.equal([]);
      expect(r.ambiguous).to.deep.equal([]);
      expect(r.workOnly).to.deep.equal(['w1']);
      expect(r.qboOnly).to.deep.equal(['q1']);
    });
  }

  it('never matches on blank emails in pass 1 (two blank emails fall to the company pass)', () => {
    const r = matchClients([workClient('w1', { companyName: 'Acme', email: ' ' })], [qboCustomer('q1', { CompanyName: 'Acme', PrimaryEmailAddr: email('') })]);
    expect(r.matched).to.deep.equal([{ workId: 'w1', qboId: 'q1', on: 'company' }]);
  });

  it('ignores inactive customers and sub-customers as candidates', () => {
    const customers = [qboCustomer('q1', { CompanyName: 'Acme', Active: false, DisplayName: 'Acme (deleted)' }), subCustomer('q2', 'q9', { CompanyName: 'Acme' })];
    expect(customers.map(isActiveTopLevelCustomer)).to.deep.equal([false, false]);
    const r = matchClients([workClient('w1', { companyName: 'Acme' })], customers);
    expect(r.matched).to.deep.equal([]);
    expect(r.workOnly).to.deep.equal(['w1']);
    expect(r.qboOnly).to.deep.equal([]);
  });

  it('matches hostile names exactly as typed on both sides', () => {
    const hostile = ['He said "hi" \\ ok', 'A: B', 'Tab\there', 'Line\nbreak', '🚀 Rockets', '\u05E9\u05DC\u05D5\u05DD Ltd', '<script>alert(1)</script>', 'N'.repeat(1000), 'Nul\u0000Co'];
    const r = matchClients(hostile.map((n, i) => workClient(`w${i}`, { companyName: n })), hostile.map((n, i) => qboCustomer(`q${i}`, { CompanyName: n })));
    expect(r.matched.map((m) => [m.workId, m.qboId.replace('q', 'w')])).to.deep.equal(r.matched.map((m) => [m.workId, m.workId]));
    expect(r.matched).to.have.length(hostile.length);
  });

  describe('properties', () => {
    const names = fc.constantFrom('Acme', 'ACME ', 'Bolt Ltd', 'Bolt Ltd.', 'Café', 'Cafe', '', null, 'Smith & Sons', 'smith and sons');
    const emails = fc.constantFrom('a@x.com', 'A@X.com', 'b@x.com', '', null);
    const world = fc.record({
      work: fc.array(fc.record({ name: names, email: emails }), { maxLength: 8 }),
      qbo: fc.array(fc.record({ name: names, email: emails, active: fc.boolean(), job: fc.boolean() }), { maxLength: 8 }),
      seeds: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    });
    const build = (w: { work: Array<{ name: string | null; email: string | null }>; qbo: Array<{ name: string | null; email: string | null; active: boolean; job: boolean }> }): { clients: WorkClient[]; customers: QboCustomer[] } => ({
      clients: w.work.map((c, i) => workClient(`w${i}`, { companyName: c.name, email: c.email })),
      customers: w.qbo.map((c, i) => {
        const base: Partial<QboCustomer> = { Active: c.active, DisplayName: `D${i}` };
        if (c.name !== null) base.CompanyName = c.name;
        if (c.email !== null) base.PrimaryEmailAddr = { Address: c.email };
        return c.job ? subCustomer(`q${i}`, 'q0', base) : qboCustomer(`q${i}`, base);
      }),
    });
    const linkedIds = (r: MatchResult): { work: string[]; qbo: string[] } => ({ work: r.matched.map((m) => m.workId), qbo: r.matched.map((m) => m.qboId) });

    it('never links two Work clients to one QBO customer or the reverse, and accounts for every record once', () => {
      fc.assert(
        fc.property(world, (w) => {
          const { clients, customers } = build(w);
          const r = matchClients(clients, customers);
          const ids = linkedIds(r);
          expect(new Set(ids.work).size).to.equal(ids.work.length);
          expect(new Set(ids.qbo).size).to.equal(ids.qbo.length);
          const allWork = [...ids.work, ...r.ambiguous.flatMap((a) => a.workIds), ...r.workOnly].sort();
          expect(allWork).to.deep.equal(clients.map((c) => c.id).sort());
          const candidates = customers.filter(isActiveTopLevelCustomer).map((c) => c.Id).sort();
          expect([...ids.qbo, ...r.ambiguous.flatMap((a) => a.qboIds), ...r.qboOnly].sort()).to.deep.equal(candidates);
        }),
        { numRuns: 500 },
      );
    });

    it('gives the same result whatever the input order', () => {
      fc.assert(
        fc.property(world, (w) => {
          const { clients, customers } = build(w);
          expect(matchClients(permute(clients, w.seeds), permute(customers, [...w.seeds].reverse()))).to.deep.equal(matchClients(clients, customers));
        }),
        { numRuns: 500 },
      );
    });

    it('never matches or reviews a blank company name', () => {
      fc.assert(
        fc.property(world, (w) => {
          const { clients, customers } = build(w);
          const r = matchClients(clients, customers);
          const blankWork = new Set(clients.filter((c) => (c.companyName ?? '').trim() === '').map((c) => c.id));
          const blankQbo = new Set(customers.filter((c) => (c.CompanyName ?? '').trim() === '').map((c) => c.Id));
          for (const m of r.matched) expect(blankWork.has(m.workId) || blankQbo.has(m.qboId)).to.equal(false);
          for (const a of r.ambiguous) expect(a.workIds.some((id) => blankWork.has(id)) || a.qboIds.some((id) => blankQbo.has(id))).to.equal(false);
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe('sync plan: matchOnFor (one pair, for a duplicate-name fault at send time)', () => {
  const rows: Array<[string, Partial<WorkClient>, Partial<QboCustomer>, string | null]> = [
    ['company and email', { companyName: 'Acme, Inc.', email: 'A@acme.com' }, { CompanyName: 'acme inc', PrimaryEmailAddr: { Address: 'a@acme.com' } }, 'company_and_email'],
    ['company only', { companyName: 'Acme', email: 'x@acme.com' }, { CompanyName: 'ACME', PrimaryEmailAddr: { Address: 'y@acme.com' } }, 'company'],
    ['different company', { companyName: 'Acme' }, { CompanyName: 'Bolt' }, null],
    ['blank company', { companyName: ' ', email: 'a@x.com' }, { DisplayName: ' ', PrimaryEmailAddr: { Address: 'a@x.com' } }, null],
    ['inactive customer', { companyName: 'Acme' }, { CompanyName: 'Acme', Active: false }, null],
    ['sub-customer', { companyName: 'Acme' }, { CompanyName: 'Acme', Job: true, ParentRef: { value: '1' } }, null],
  ];
  for (const [what, w, q, on] of rows) {
    it(`${what} → ${String(on)}`, () => {
      expect(matchOnFor(workClient('w1', w), qboCustomer('q1', q))).to.equal(on);
    });
  }
});
