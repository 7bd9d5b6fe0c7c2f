import { expect } from 'chai';
import fc from 'fast-check';
import type { WorkClient, WorkSite } from '../../plugin/host/work-records';
import type { QboCustomer } from '../../plugin/qbo/entities/customer';
import { clientSnapshot, customerSnapshot, snapshotToCustomerCreate, snapshotToNewClient } from '../../plugin/sync/mappers/client-customer';
import { siteSnapshot, siteSnapshotToSubCustomerCreate, snapshotToNewSite, subCustomerSnapshot } from '../../plugin/sync/mappers/site-subcustomer';
import { planOnboarding } from '../../plugin/sync/plan/onboarding-plan';
import { displayNameKey } from '../../plugin/sync/plan/qbo-name-rules';
import { DEFAULT_MAPPING_SETTINGS, type MappingRef, type OnboardingInput, type OnboardingPlan, type PlanEntry, type TakenName } from '../../plugin/sync/plan/types';
import { permute, qboCustomer, subCustomer, workClient, workSite } from '../support/sync-plan-fixtures';

function plan(parts: Partial<OnboardingInput>): OnboardingPlan {
  return planOnboarding({ workClients: [], workSites: [], qboCustomers: [], takenNames: [], existingMappings: [], settings: DEFAULT_MAPPING_SETTINGS, ...parts });
}
const client = (p: OnboardingPlan, workId: string): PlanEntry | undefined => p.clients.find((e) => e.workId === workId);
const customer = (p: OnboardingPlan, qboId: string): PlanEntry | undefined => p.clients.find((e) => e.qboId === qboId && e.workId === null);
const site = (p: OnboardingPlan, id: { workId?: string; qboId?: string }): PlanEntry | undefined =>
  p.sites.find((e) => (id.workId === undefined || e.workId === id.workId) && (id.qboId === undefined || e.qboId === id.qboId));
const brief = (e: PlanEntry | undefined): Record<string, unknown> => ({ action: e?.action, reason: e?.reason, on: e?.on, displayName: e?.displayName, qboId: e?.qboId });

describe('sync plan: planOnboarding', () => {
  describe('FAQ rules, one row each', () => {
    const rows: Array<{ rule: string; input: Partial<OnboardingInput>; check: (p: OnboardingPlan) => void }> = [
      {
        rule: 'same customer in both: linked on company name (FAQ Client Sync 2)',
        input: { workClients: [workClient('w1', { companyName: 'Acme Inc.' })], qboCustomers: [qboCustomer('q1', { CompanyName: 'ACME Inc' })] },
        check: (p) => expect(brief(client(p, 'w1'))).to.deep.include({ action: 'link', on: 'company', qboId: 'q1' }),
      },
      {
        rule: 'company name and email first (SPEC matching order)',
        input: {
          workClients: [workClient('w1', { companyName: 'Acme', email: 'b@acme.com' })],
          qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme', DisplayName: 'Acme A', PrimaryEmailAddr: { Address: 'a@acme.com' } }), qboCustomer('q2', { CompanyName: 'Acme', DisplayName: 'Acme B', PrimaryEmailAddr: { Address: 'B@acme.com' } })],
        },
        check: (p) => {
          expect(brief(client(p, 'w1'))).to.deep.include({ action: 'link', on: 'company_and_email', qboId: 'q2' });
          expect(brief(customer(p, 'q1'))).to.deep.include({ action: 'blocked', reason: 'duplicate_in_qbo' });
        },
      },
      {
        rule: 'blank company names never match (FAQ Client Sync 3): the client is created, the customer imported',
        input: { workClients: [workClient('w1', { firstName: 'Jo', lastName: 'Lee', email: 'jo@x.com' })], qboCustomers: [qboCustomer('q1', { DisplayName: 'Joanne Lee', PrimaryEmailAddr: { Address: 'jo@x.com' } })] },
        check: (p) => {
          expect(brief(client(p, 'w1'))).to.deep.include({ action: 'create_in_qbo', displayName: 'Jo Lee' });
          expect(brief(customer(p, 'q1'))).to.deep.include({ action: 'create_in_work' });
        },
      },
      {
        rule: 'ambiguous candidates go to review on both sides, never a guess',
        input: { workClients: [workClient('w1', { companyName: 'Acme' })], qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme' }), qboCustomer('q2', { CompanyName: 'acme', DisplayName: 'Acme 2' })] },
        check: (p) => {
          for (const e of [client(p, 'w1'), customer(p, 'q1'), customer(p, 'q2')]) {
            expect(e).to.deep.include({ action: 'review', reason: 'ambiguous_match', candidates: { workIds: ['w1'], qboIds: ['q1', 'q2'] } });
          }
        },
      },
      {
        rule: 'only active customers are imported (FAQ Client Sync 5)',
        input: { qboCustomers: [qboCustomer('q1', { CompanyName: 'Active Co' }), qboCustomer('q2', { CompanyName: 'Old Co', DisplayName: 'Old Co (deleted)', Active: false })] },
        check: (p) => {
          expect(brief(customer(p, 'q1'))).to.deep.include({ action: 'create_in_work' });
          expect(customer(p, 'q2')).to.equal(undefined);
        },
      },
      {
        rule: 'an inactive customer still blocks its name',
        input: { workClients: [workClient('w1', { companyName: 'Old Co' })], qboCustomers: [qboCustomer('q2', { CompanyName: 'Old Co', DisplayName: 'Old Co (deleted)', Active: false })] },
        check: (p) => expect(client(p, 'w1')).to.deep.include({ action: 'blocked', reason: 'name_taken_by_inactive_customer', candidates: { workIds: ['w1'], qboIds: ['q2'] } }),
      },
      {
        rule: 'a vendor\'s name is avoided with a suffix',
        input: { workClients: [workClient('w1', { companyName: 'Bolt Supply' })], takenNames: [{ name: 'bolt supply', kind: 'vendor' }] },
        check: (p) => expect(client(p, 'w1')).to.deep.include({ action: 'create_in_qbo', displayName: 'Bolt Supply (2)', fixed: ['name_taken_by_vendor'] }),
      },
      {
        rule: 'an employee\'s name is avoided with a suffix',
        input: { workClients: [workClient('w1', { firstName: 'Jo', lastName: 'Lee' })], takenNames: [{ name: 'Jo Lee', kind: 'employee' }, { name: 'Jo Lee (2)', kind: 'vendor' }] },
        check: (p) => expect(client(p, 'w1')).to.deep.include({ action: 'create_in_qbo', displayName: 'Jo Lee (3)', fixed: ['name_taken_by_employee'] }),
      },
      {
        rule: 'a name held by an unmatched active customer is reviewed as a pair (it may be the same customer)',
        input: { workClients: [workClient('w1', { firstName: 'Jo', lastName: 'Lee' })], qboCustomers: [qboCustomer('q1', { DisplayName: 'JO LEE', GivenName: 'Jo', FamilyName: 'Lee' })] },
        check: (p) => {
          expect(client(p, 'w1')).to.deep.include({ action: 'review', reason: 'name_taken_by_customer', candidates: { workIds: ['w1'], qboIds: ['q1'] } });
          expect(customer(p, 'q1')).to.deep.include({ action: 'review', reason: 'name_taken_by_customer', candidates: { workIds: ['w1'], qboIds: ['q1'] } });
        },
      },
      {
        rule: 'a name held by a sub-customer (a site) is avoided with a suffix, not reviewed',
        input: { workClients: [workClient('w1', { companyName: 'Depot' })], qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme' }), subCustomer('q5', 'q1', { DisplayName: 'Depot' })] },
        check: (p) => expect(client(p, 'w1')).to.deep.include({ action: 'create_in_qbo', displayName: 'Depot (2)', fixed: ['name_taken_by_customer'] }),
      },
      {
        rule: 'duplicates inside Work are blocked ("Make sure there are no duplicates in either system")',
        input: { workClients: [workClient('w1', { companyName: 'Acme Co.' }), workClient('w2', { companyName: 'acme co' }), workClient('w3', { firstName: 'Jo', lastName: 'Lee' }), workClient('w4', { firstName: 'jo', lastName: 'lee' })] },
        check: (p) => {
          for (const id of ['w1', 'w2', 'w3', 'w4']) expect(brief(client(p, id))).to.deep.include({ action: 'blocked', reason: 'duplicate_in_work' });
        },
      },
      {
        rule: 'a client with no usable name is blocked: blank name',
        input: { workClients: [workClient('w1', { companyName: ' \t', email: 'not-an-email' })] },
        check: (p) => expect(brief(client(p, 'w1'))).to.deep.include({ action: 'blocked', reason: 'blank_name' }),
      },
      {
        rule: 'already linked records stay linked and their customer is out of matching',
        input: { workClients: [workClient('w1', { companyName: 'Acme' }), workClient('w2', { companyName: 'Bolt' })], qboCustomers: [qboCustomer('q1', { CompanyName: 'Bolt' })], existingMappings: [{ entity: 'client', workId: 'w1', qboId: 'q1' }] },
        check: (p) => {
          expect(brief(client(p, 'w1'))).to.deep.include({ action: 'already_linked', qboId: 'q1' });
          expect(brief(client(p, 'w2'))).to.deep.include({ action: 'review', reason: 'name_taken_by_customer' });
        },
      },
      {
        rule: 'sub-customers become sites under their client (FAQ Client Sync 6), parents first',
        input: { workClients: [workClient('w1', { companyName: 'Acme' })], qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme' }), subCustomer('q5', 'q1', { DisplayName: 'Depot' }), qboCustomer('q2', { CompanyName: 'Bolt' }), subCustomer('q6', 'q2')] },
        check: (p) => {
          expect(site(p, { qboId: 'q5' })).to.deep.include({ action: 'create_in_work', parent: { workClientId: 'w1', qboCustomerId: 'q1' }, layer: 1 });
          expect(site(p, { qboId: 'q6' })).to.deep.include({ action: 'create_in_work', parent: { workClientId: null, qboCustomerId: 'q2' }, layer: 1 });
          expect(customer(p, 'q2')).to.deep.include({ action: 'create_in_work', layer: 0 });
        },
      },
      {
        rule: 'sites become sub-customers under their client\'s customer, even one created in the same run',
        input: { workClients: [workClient('w1', { companyName: 'Acme' })], workSites: [workSite('s1', 'w1', { name: 'Main Office' })], takenNames: [{ name: 'Main Office', kind: 'vendor' }] },
        check: (p) => {
          expect(client(p, 'w1')).to.deep.include({ action: 'create_in_qbo', layer: 0 });
          expect(site(p, { workId: 's1' })).to.deep.include({ action: 'create_in_qbo', displayName: 'Main Office (2)', parent: { workClientId: 'w1', qboCustomerId: null }, layer: 1 });
        },
      },
      {
        rule: 'a site and a sub-customer of the same name under a linked client are linked; two are reviewed',
        input: {
          workClients: [workClient('w1', { companyName: 'Acme' })],
          workSites: [workSite('s1', 'w1', { name: 'Depot' }), workSite('s2', 'w1', { name: 'Yard' }), workSite('s3', 'w1', { name: 'Yard' })],
          qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme' }), subCustomer('q5', 'q1', { DisplayName: 'DEPOT' }), subCustomer('q6', 'q1', { DisplayName: 'Yard' })],
        },
        check: (p) => {
          expect(brief(site(p, { workId: 's1' }))).to.deep.include({ action: 'link', on: 'site_name', qboId: 'q5' });
          for (const e of [site(p, { workId: 's2' }), site(p, { workId: 's3' }), site(p, { qboId: 'q6' })]) expect(e).to.deep.include({ action: 'review', reason: 'ambiguous_match', candidates: { workIds: ['s2', 's3'], qboIds: ['q6'] } });
        },
      },
      {
        rule: 'a nested job attaches to its top-level client; an inactive parent blocks; a reviewed parent holds its sites',
        input: {
          workClients: [workClient('w1', { companyName: 'Acme' }), workClient('w2', { companyName: 'Twin' })],
          workSites: [workSite('s9', 'w2')],
          qboCustomers: [
            qboCustomer('q1', { CompanyName: 'Acme' }), subCustomer('q5', 'q1'), subCustomer('q7', 'q5', { DisplayName: 'Nested' }),
            qboCustomer('q3', { CompanyName: 'Gone', Active: false }), subCustomer('q8', 'q3'),
            qboCustomer('q10', { CompanyName: 'Twin' }), qboCustomer('q11', { CompanyName: 'Twin', DisplayName: 'Twin 2' }), subCustomer('q12', 'q10'),
            subCustomer('q13', 'q404'),
          ],
        },
        check: (p) => {
          expect(site(p, { qboId: 'q7' })).to.deep.include({ action: 'create_in_work', parent: { workClientId: 'w1', qboCustomerId: 'q1' } });
          expect(brief(site(p, { qboId: 'q8' }))).to.deep.include({ action: 'blocked', reason: 'parent_inactive' });
          expect(brief(site(p, { qboId: 'q12' }))).to.deep.include({ action: 'blocked', reason: 'parent_not_ready' });
          expect(brief(site(p, { workId: 's9' }))).to.deep.include({ action: 'blocked', reason: 'parent_not_ready' });
          expect(brief(site(p, { qboId: 'q13' }))).to.deep.include({ action: 'blocked', reason: 'parent_not_ready' });
        },
      },
      {
        rule: 'too long and forbidden characters are fixed and listed, not blocked',
        input: { workClients: [workClient('w1', { companyName: `Acme: ${'x'.repeat(120)}` })] },
        check: (p) => {
          const e = client(p, 'w1');
          expect(e).to.deep.include({ action: 'create_in_qbo', fixed: ['forbidden_characters', 'too_long'] });
          expect(e?.displayName).to.equal(`Acme- ${'x'.repeat(120)}`);
          expect(e?.warnings.map((w) => `${w.code}@${w.field}`)).to.include.members(['forbidden_characters@DisplayName', 'too_long@CompanyName']);
        },
      },
    ];
    for (const row of rows) it(row.rule, () => row.check(plan(row.input)));
  });

  describe('hostile names', () => {
    const hostile = ['He said "hi"', 'back\\slash', 'A: B', 'Tab\there', 'New\nline', 'Rocket 🚀', '\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627', 'N'.repeat(1000), '<img src=x onerror=alert(1)>', 'Nul\u0000Co', "O'Brien & Sons", '\u202Eevil\u202C'];
    for (const name of hostile) {
      it(`plans ${JSON.stringify(name.slice(0, 24))} for QBO with a name QBO accepts`, () => {
        const p = plan({ workClients: [workClient('w1', { companyName: name })], workSites: [workSite('s1', 'w1', { name })] });
        for (const e of [client(p, 'w1'), site(p, { workId: 's1' })]) {
          expect(e?.action).to.equal('create_in_qbo');
          const dn = e?.displayName ?? '';
          expect(dn).to.not.match(/[:\t\n\r\p{Cc}]/u);
          expect(Array.from(dn).length).to.be.within(1, 500);
        }
        expect(site(p, { workId: 's1' })?.displayName).to.not.equal(client(p, 'w1')?.displayName);
      });
    }
  });

  it('summarises counts per action, reason and fix for the preview', () => {
    const p = plan({
      workClients: [workClient('w1', { companyName: 'Acme' }), workClient('w2'), workClient('w3', { companyName: 'Bolt' })],
      qboCustomers: [qboCustomer('q1', { CompanyName: 'Acme' }), qboCustomer('q2', { CompanyName: 'Cog' })],
      takenNames: [{ name: 'Bolt', kind: 'vendor' }],
    });
    expect(p.summary.total).to.equal(4);
    expect(p.summary.byAction).to.deep.equal({ already_linked: 0, link: 1, create_in_qbo: 1, create_in_work: 1, review: 0, blocked: 1 });
    expect(p.summary.byReason).to.deep.equal({ blank_name: 1 });
    expect(p.summary.byFix).to.deep.equal({ name_taken_by_vendor: 1 });
    expect(p.summary.byEntity.client.link).to.equal(1);
  });

  describe('properties', () => {
    const companies = fc.constantFrom('Acme', 'ACME', 'Bolt', 'Cog Ltd.', 'Cog Ltd', '', null, 'Dyn: X');
    const people = fc.constantFrom('Jo', 'Lee', null);
    const emails = fc.constantFrom('a@x.com', 'b@x.com', null, 'bad');
    const siteNames = fc.constantFrom('Main', 'main', 'Depot', 'Yard', ' ');
    const world = fc.record({
      clients: fc.array(fc.record({ companyName: companies, firstName: people, lastName: people, email: emails, active: fc.boolean() }), { maxLength: 7 }),
      customers: fc.array(fc.record({ company: companies, display: fc.constantFrom('Acme', 'Jo Lee', 'Main', 'Zed', 'Bolt'), email: emails, active: fc.boolean(), parent: fc.option(fc.nat(6), { nil: null }) }), { maxLength: 7 }),
      sites: fc.array(fc.record({ client: fc.nat(6), name: siteNames }), { maxLength: 6 }),
      taken: fc.array(fc.record({ name: fc.constantFrom('Acme', 'Bolt', 'Main', 'Jo Lee'), kind: fc.constantFrom<TakenName['kind']>('vendor', 'employee') }), { maxLength: 3 }),
      links: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 2 }),
      seeds: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
    });
    type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

    function build(w: World): OnboardingInput {
      const workClients: WorkClient[] = w.clients.map((c, i) => workClient(`w${i}`, c));
      const usedDisplay = new Set<string>();
      const qboCustomers: QboCustomer[] = w.customers.map((c, i) => {
        // QBO itself keeps DisplayNames unique (case-insensitively): mirror that.
        let display: string = c.display;
        while (usedDisplay.has(display.toLowerCase())) display = `${display}+`;
        usedDisplay.add(display.toLowerCase());
        const fields: Partial<QboCustomer> = { DisplayName: display, Active: c.active };
        if (c.company !== null) fields.CompanyName = c.company;
        if (c.email !== null) fields.PrimaryEmailAddr = { Address: c.email };
        return c.parent !== null && c.parent < i ? subCustomer(`q${i}`, `q${c.parent}`, fields) : qboCustomer(`q${i}`, fields);
      });
      const workSites: WorkSite[] = w.sites.filter((s) => s.client < workClients.length).map((s, i) => workSite(`s${i}`, `w${s.client}`, { name: s.name }));
      const seenW = new Set<string>();
      const seenQ = new Set<string>();
      const existingMappings: MappingRef[] = [];
      for (const [a, b] of w.links) {
        const workId = `w${a}`;
        const q = qboCustomers[b];
        if (a >= workClients.length || q === undefined || q.Job === true || q.Active === false || seenW.has(workId) || seenQ.has(q.Id)) continue;
        seenW.add(workId);
        seenQ.add(q.Id);
        existingMappings.push({ entity: 'client', workId, qboId: q.Id });
      }
      return { workClients, workSites, qboCustomers, takenNames: w.taken, existingMappings, settings: DEFAULT_MAPPING_SETTINGS };
    }

    it('gives every Work client and site exactly one entry, and never imports an inactive customer', () => {
      fc.assert(
        fc.property(world, (w) => {
          const input = build(w);
          const p = planOnboarding(input);
          const workIds = p.clients.filter((e) => e.workId !== null).map((e) => e.workId);
          expect([...workIds].sort()).to.deep.equal(input.workClients.map((c) => c.id).sort());
          const siteIds = p.sites.filter((e) => e.workId !== null).map((e) => e.workId);
          expect([...siteIds].sort()).to.deep.equal(input.workSites.map((s) => s.id).sort());
          const inactive = new Set(input.qboCustomers.filter((c) => c.Active === false).map((c) => c.Id));
          for (const e of [...p.clients, ...p.sites]) if (e.action === 'create_in_work' || e.action === 'link') expect(inactive.has(e.qboId ?? '')).to.equal(false);
          const qboEntries = [...p.clients, ...p.sites].filter((e) => e.qboId !== null).map((e) => e.qboId);
          expect(new Set(qboEntries).size).to.equal(qboEntries.length);
        }),
        { numRuns: 400 },
      );
    });

    it('never plans a QBO name that is taken or used twice', () => {
      fc.assert(
        fc.property(world, (w) => {
          const input = build(w);
          const p = planOnboarding(input);
          const existing = new Set([...input.qboCustomers.map((c) => displayNameKey(c.DisplayName)), ...input.takenNames.map((t) => displayNameKey(t.name))]);
          const chosen = [...p.clients, ...p.sites].filter((e) => e.action === 'create_in_qbo').map((e) => displayNameKey(e.displayName ?? ''));
          expect(new Set(chosen).size).to.equal(chosen.length);
          for (const name of chosen) expect(existing.has(name), name).to.equal(false);
        }),
        { numRuns: 400 },
      );
    });

    it('puts parents first: every site going ahead has a parent that goes ahead', () => {
      fc.assert(
        fc.property(world, (w) => {
          const p = planOnboarding(build(w));
          const byWork = new Map(p.clients.filter((e) => e.workId !== null).map((e) => [e.workId, e]));
          const byQbo = new Map(p.clients.filter((e) => e.qboId !== null).map((e) => [e.qboId, e]));
          for (const s of p.sites) {
            if (s.action === 'create_in_qbo' || s.action === 'create_in_work' || s.action === 'link') {
              const parent = s.parent?.workClientId != null ? byWork.get(s.parent.workClientId) : byQbo.get(s.parent?.qboCustomerId ?? '');
              expect(parent?.action, JSON.stringify(s)).to.be.oneOf(['already_linked', 'link', 'create_in_qbo', 'create_in_work']);
              expect(s.layer).to.equal(1);
              expect(parent?.layer).to.equal(0);
            }
          }
        }),
        { numRuns: 400 },
      );
    });

    it('does not depend on input order', () => {
      fc.assert(
        fc.property(world, (w) => {
          const input = build(w);
          const shuffled: OnboardingInput = {
            ...input,
            workClients: permute(input.workClients, w.seeds),
            workSites: permute(input.workSites, [...w.seeds].reverse()),
            qboCustomers: permute(input.qboCustomers, w.seeds.map((s) => s + 1)),
            takenNames: permute(input.takenNames, w.seeds),
            existingMappings: permute(input.existingMappings, w.seeds),
          };
          expect(planOnboarding(shuffled)).to.deep.equal(planOnboarding(input));
        }),
        { numRuns: 400 },
      );
    });

    /** Carry out a plan the way the engine will (parents first), on in-memory copies of both sides. */
    function execute(input: OnboardingInput, p: OnboardingPlan): OnboardingInput {
      const workClients = [...input.workClients];
      const workSites = [...input.workSites];
      const qboCustomers = [...input.qboCustomers];
      const mappings = [...input.existingMappings];
      const qboOfClient = new Map(mappings.filter((m) => m.entity === 'client').map((m) => [m.workId, m.qboId]));
      const clientOfQbo = new Map(mappings.filter((m) => m.entity === 'client').map((m) => [m.qboId, m.workId]));
      for (const e of p.clients) {
        if (e.action === 'link' && e.workId !== null && e.qboId !== null) {
          mappings.push({ entity: 'client', workId: e.workId, qboId: e.qboId });
          qboOfClient.set(e.workId, e.qboId);
          clientOfQbo.set(e.qboId, e.workId);
        } else if (e.action === 'create_in_qbo' && e.workId !== null) {
          const c = workClients.find((x) => x.id === e.workId) as WorkClient;
          const qboId = `new-q-${e.workId}`;
          qboCustomers.push(qboCustomer(qboId, { ...snapshotToCustomerCreate(clientSnapshot(c), e.displayName ?? '') } as Partial<QboCustomer>));
          mappings.push({ entity: 'client', workId: e.workId, qboId });
          qboOfClient.set(e.workId, qboId);
        } else if (e.action === 'create_in_work' && e.qboId !== null) {
          const q = qboCustomers.find((x) => x.Id === e.qboId) as QboCustomer;
          const workId = `new-w-${e.qboId}`;
          workClients.push(workClient(workId, snapshotToNewClient(customerSnapshot(q))));
          mappings.push({ entity: 'client', workId, qboId: e.qboId });
          clientOfQbo.set(e.qboId, workId);
        }
      }
      for (const e of p.sites) {
        if (e.action === 'link' && e.workId !== null && e.qboId !== null) {
          mappings.push({ entity: 'site', workId: e.workId, qboId: e.qboId });
        } else if (e.action === 'create_in_qbo' && e.workId !== null) {
          const site = workSites.find((x) => x.id === e.workId) as WorkSite;
          const parentQbo = qboOfClient.get(site.clientId);
          expect(parentQbo, `parent of ${site.id} created first`).to.be.a('string');
          const qboId = `new-q-${e.workId}`;
          qboCustomers.push(qboCustomer(qboId, { ...siteSnapshotToSubCustomerCreate(siteSnapshot(site), e.displayName ?? '', parentQbo ?? '') } as Partial<QboCustomer>));
          mappings.push({ entity: 'site', workId: e.workId, qboId });
        } else if (e.action === 'create_in_work' && e.qboId !== null) {
          const parentWork = e.parent?.workClientId ?? clientOfQbo.get(e.parent?.qboCustomerId ?? '');
          expect(parentWork, `parent of ${e.qboId} created first`).to.be.a('string');
          const workId = `new-w-${e.qboId}`;
          const sub = qboCustomers.find((x) => x.Id === e.qboId) as QboCustomer;
          workSites.push(workSite(workId, parentWork ?? '', snapshotToNewSite(subCustomerSnapshot(sub))));
          mappings.push({ entity: 'site', workId, qboId: e.qboId });
        }
      }
      return { ...input, workClients, workSites, qboCustomers, existingMappings: mappings };
    }

    it('carried out, then planned again, creates and links nothing more (no duplicates, resumable)', () => {
      fc.assert(
        fc.property(world, (w) => {
          const input = build(w);
          const first = planOnboarding(input);
          const after = execute(input, first);
          const second = planOnboarding(after);
          const again = [...second.clients, ...second.sites].filter((e) => e.action !== 'already_linked' && e.action !== 'review' && e.action !== 'blocked');
          expect(again, JSON.stringify(again)).to.deep.equal([]);
          const held = (p: OnboardingPlan): string[] => [...p.clients, ...p.sites].filter((e) => e.action === 'review' || e.action === 'blocked').map((e) => `${e.entity}:${e.workId ?? ''}:${e.qboId ?? ''}`).sort();
          expect(held(second)).to.deep.equal(held(first));
        }),
        { numRuns: 400 },
      );
    });

    it('summary counts add up to the entries', () => {
      fc.assert(
        fc.property(world, (w) => {
          const p = planOnboarding(build(w));
          expect(Object.values(p.summary.byAction).reduce((a, b) => a + b, 0)).to.equal(p.clients.length + p.sites.length);
          const withReason = [...p.clients, ...p.sites].filter((e) => e.action === 'review' || e.action === 'blocked');
          expect(withReason.every((e) => e.reason !== undefined)).to.equal(true);
          expect(Object.values(p.summary.byReason).reduce((a, b) => a + b, 0)).to.equal(withReason.length);
        }),
      );
    });
  });
});
