import { expect } from 'chai';
import fc from 'fast-check';
import type { PostalAddress, WorkClient, WorkSite } from '../../plugin/host/work-records';
import type { QboCustomer } from '../../plugin/qbo/entities/customer';
import type { CustomerInput } from '../../plugin/qbo/entities/inputs';
import {
  CLIENT_FIELDS,
  clientSnapshot,
  customerSnapshot,
  prepareClientSnapshot,
  snapshotToClientPatch,
  snapshotToCustomerBody,
  snapshotToCustomerCreate,
  snapshotToNewClient,
} from '../../plugin/sync/mappers/client-customer';
import {
  fillSiteFromClient,
  prepareSiteSnapshot,
  siteSnapshot,
  siteSnapshotToSubCustomerBody,
  siteSnapshotToSubCustomerCreate,
  snapshotToNewSite,
  snapshotToSitePatch,
  subCustomerSnapshot,
} from '../../plugin/sync/mappers/site-subcustomer';
import { displayNameForClient } from '../../plugin/sync/plan/qbo-name-rules';
import { canonicalJson, snapshotHash } from '../../plugin/sync/mappers/snapshot-hash';
import { NO_ADDRESS, qboCustomer, subCustomer, workClient, workSite } from '../support/sync-plan-fixtures';

const ADDRESS: PostalAddress = { line1: '12 Main St', line2: 'Unit 3', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

/** What QBO would hold after a create with `body` (what the sandbox echoes back). */
function asCreated(id: string, body: Partial<CustomerInput>): QboCustomer {
  return { Id: id, SyncToken: '0', DisplayName: body.DisplayName ?? 'x', ...body } as QboCustomer;
}

/** Apply a sparse body to a QBO customer as QBO does ("" clears). */
function applySparse(c: QboCustomer, body: Partial<CustomerInput>): QboCustomer {
  const out: Record<string, unknown> = { ...c };
  for (const [k, v] of Object.entries(body)) out[k] = v;
  return out as QboCustomer;
}

describe('sync mappers: client ⇄ customer', () => {
  const client = workClient('w1', {
    companyName: 'Acme: Plumbing & Heating',
    firstName: 'Jo',
    lastName: 'Lee',
    email: ' jo@acme.com ',
    phone: '555-0100',
    billingAddress: ADDRESS,
    notes: 'Gate code 12\r\nDog on site',
    active: true,
  });

  it('makes a create body with every field in its QBO place', () => {
    const body = snapshotToCustomerCreate(clientSnapshot(client), 'Acme- Plumbing & Heating');
    expect(body).to.deep.equal({
      DisplayName: 'Acme- Plumbing & Heating',
      CompanyName: 'Acme- Plumbing & Heating',
      GivenName: 'Jo',
      FamilyName: 'Lee',
      PrimaryEmailAddr: { Address: 'jo@acme.com' },
      PrimaryPhone: { FreeFormNumber: '555-0100' },
      BillAddr: { Line1: '12 Main St', Line2: 'Unit 3', City: 'Springfield', CountrySubDivisionCode: 'IL', PostalCode: '62701', Country: 'US' },
      Notes: 'Gate code 12\nDog on site',
      Active: true,
    });
  });

  it('warns about every fix it makes', () => {
    const { warnings } = prepareClientSnapshot(workClient('w2', { companyName: `${'C'.repeat(120)}`, firstName: 'A:B', email: 'not-an-email', notes: 'x\u0000' }));
    expect(warnings.map((w) => `${w.code}@${w.field}`)).to.deep.equal(['too_long@CompanyName', 'forbidden_characters@GivenName', 'invalid_email@PrimaryEmailAddr', 'control_characters@Notes']);
  });

  it('leaves blanks out of a create and clears them with "" in a sparse update', () => {
    const s = clientSnapshot(workClient('w3', { companyName: 'Bolt', billingAddress: { ...NO_ADDRESS, city: 'Paris' } }));
    expect(snapshotToCustomerBody(s)).to.deep.equal({ CompanyName: 'Bolt', BillAddr: { City: 'Paris' }, Active: true });
    expect(snapshotToCustomerBody(s, { displayName: 'Bolt' }, ['email', 'billPostalCode'])).to.deep.equal({
      DisplayName: 'Bolt',
      PrimaryEmailAddr: { Address: '' },
      BillAddr: { Line1: '', Line2: '', City: 'Paris', CountrySubDivisionCode: '', PostalCode: '', Country: '' },
    });
  });

  it('reads a customer, preferring CompanyName, else DisplayName when there is no person name', () => {
    expect(customerSnapshot(qboCustomer('1', { CompanyName: 'Acme Inc', DisplayName: 'Acme Inc (2)' })).companyName).to.equal('Acme Inc');
    expect(customerSnapshot(qboCustomer('2', { DisplayName: "Bob's Diner" })).companyName).to.equal("Bob's Diner");
    expect(customerSnapshot(qboCustomer('3', { DisplayName: 'Jo Lee', GivenName: 'Jo', FamilyName: 'Lee' })).companyName).to.equal(null);
    expect(customerSnapshot(qboCustomer('4', { CompanyName: 'X', Active: false })).active).to.equal(false);
  });

  it('applies the default state and country only to an address with street parts', () => {
    const settings = { defaultState: 'ON', defaultCountry: 'CA', fillSiteFromClient: false };
    const withStreet = customerSnapshot(qboCustomer('1', { CompanyName: 'A', BillAddr: { Line1: '1 King St' } }), settings);
    expect([withStreet.billState, withStreet.billCountry]).to.deep.equal(['ON', 'CA']);
    const own = customerSnapshot(qboCustomer('1', { CompanyName: 'A', BillAddr: { Line1: '1 King St', CountrySubDivisionCode: 'QC', Country: 'Canada' } }), settings);
    expect([own.billState, own.billCountry]).to.deep.equal(['QC', 'Canada']);
    const none = customerSnapshot(qboCustomer('1', { CompanyName: 'A' }), settings);
    expect([none.billState, none.billCountry]).to.deep.equal([null, null]);
  });

  it('patches Work with just the fields asked, writing the whole address when a part changes', () => {
    const s = customerSnapshot(qboCustomer('1', { CompanyName: 'A', BillAddr: { City: 'Lyon' }, Notes: 'n' }));
    expect(snapshotToClientPatch(s, ['notes', 'billCity'])).to.deep.equal({ notes: 'n', billingAddress: { ...NO_ADDRESS, city: 'Lyon' } });
    expect(snapshotToNewClient(s)).to.deep.include({ companyName: 'A', active: true });
  });

  const text = fc.option(fc.string({ unit: 'grapheme', maxLength: 120 }), { nil: null });
  const emailArb = fc.option(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 })), { nil: null });
  const addressArb = fc.record({ line1: text, line2: text, city: text, state: text, postalCode: text, country: text });
  const clientArb = fc.record({
    companyName: text, firstName: text, lastName: text, email: emailArb, phone: text, billingAddress: addressArb, notes: text, active: fc.boolean(),
  });

  it('round-trips: a Work client pushed to QBO reads back as the same snapshot (no false change)', () => {
    fc.assert(
      fc.property(clientArb, (fields) => {
        const c: WorkClient = workClient('w', fields);
        const s = clientSnapshot(c);
        const wanted = displayNameForClient(c).name;
        if (wanted === null) return; // blocked: blank name, never created
        const created = asCreated('9', snapshotToCustomerCreate(s, wanted));
        expect(customerSnapshot(created)).to.deep.equal(s);
        // And the snapshot is a fixed point: cleaning again changes nothing and warns of nothing.
        const again = prepareClientSnapshot(workClient('w', snapshotToNewClient(s)));
        expect(again.snapshot).to.deep.equal(s);
        expect(again.warnings).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips: a sparse update of any fields brings QBO to the snapshot', () => {
    fc.assert(
      fc.property(clientArb, clientArb, fc.subarray([...CLIENT_FIELDS]), (before, after, fields) => {
        const old = asCreated('9', snapshotToCustomerCreate(clientSnapshot(workClient('w', before)), 'N'));
        const target = clientSnapshot(workClient('w', after));
        const updated = customerSnapshot(applySparse(old, snapshotToCustomerBody(target, {}, fields)));
        const bill = fields.some((f) => f.startsWith('bill'));
        for (const f of CLIENT_FIELDS) {
          const changed = fields.includes(f) || (bill && f.startsWith('bill'));
          // A cleared company name on a customer with no other name reads back from DisplayName (by design).
          const nameless = f === 'companyName' && target.companyName === null;
          if (changed && !nameless) expect(updated[f], f).to.deep.equal(target[f]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips: a QBO customer written to Work reads back as the same snapshot', () => {
    fc.assert(
      fc.property(clientArb, (fields) => {
        const c = workClient('w', fields);
        const wanted = displayNameForClient(c).name;
        if (wanted === null) return;
        const s = customerSnapshot(asCreated('9', snapshotToCustomerCreate(clientSnapshot(c), wanted)));
        expect(clientSnapshot(workClient('w2', snapshotToNewClient(s)))).to.deep.equal(s);
        expect(clientSnapshot(workClient('w2', { ...workClient('w2', fields), ...snapshotToClientPatch(s) }))).to.deep.equal(s);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sync mappers: site ⇄ sub-customer', () => {
  const site: WorkSite = workSite('s1', 'w1', { name: 'Main Office', contactName: 'Mary Ann Smith', email: 'site@acme.com', phone: '555', address: ADDRESS });

  it('creates a job under its parent, billed with the parent, with the address as ShipAddr', () => {
    expect(siteSnapshotToSubCustomerCreate(siteSnapshot(site), 'Main Office', '42')).to.deep.equal({
      DisplayName: 'Main Office',
      Job: true,
      ParentRef: { value: '42' },
      BillWithParent: true,
      GivenName: 'Mary',
      FamilyName: 'Ann Smith',
      PrimaryEmailAddr: { Address: 'site@acme.com' },
      PrimaryPhone: { FreeFormNumber: '555' },
      ShipAddr: { Line1: '12 Main St', Line2: 'Unit 3', City: 'Springfield', CountrySubDivisionCode: 'IL', PostalCode: '62701', Country: 'US' },
      Active: true,
    });
  });

  it('reads ShipAddr, else BillAddr', () => {
    expect(subCustomerSnapshot(subCustomer('5', '1', { ShipAddr: { City: 'Ship' }, BillAddr: { City: 'Bill' } })).city).to.equal('Ship');
    expect(subCustomerSnapshot(subCustomer('5', '1', { BillAddr: { City: 'Bill' } })).city).to.equal('Bill');
  });

  it('fills blanks from the client when the setting is on, and not when it is off', () => {
    const parent = clientSnapshot(workClient('w1', { companyName: 'Acme', firstName: 'Jo', lastName: 'Lee', email: 'jo@acme.com', phone: '1', billingAddress: ADDRESS }));
    const sub = subCustomer('5', '1', { DisplayName: 'Depot', PrimaryPhone: { FreeFormNumber: '2' } });
    const filled = subCustomerSnapshot(sub, { defaultState: null, defaultCountry: null, fillSiteFromClient: true }, parent);
    expect(filled).to.deep.include({ name: 'Depot', contactName: 'Jo Lee', email: 'jo@acme.com', phone: '2', city: 'Springfield' });
    const plain = subCustomerSnapshot(sub, { defaultState: null, defaultCountry: null, fillSiteFromClient: false }, parent);
    expect(plain).to.deep.include({ contactName: null, email: null, phone: '2', city: null });
    const ownAddress = fillSiteFromClient({ ...plain, city: 'Own' }, parent);
    expect([ownAddress.city, ownAddress.line1]).to.deep.equal(['Own', null]);
  });

  it('warns about a hostile site name and keeps it usable', () => {
    const { snapshot, warnings } = prepareSiteSnapshot(workSite('s2', 'w1', { name: 'Bay 1:\tNorth\u0000' }));
    expect(snapshot.name).to.equal('Bay 1- North');
    expect(warnings.map((w) => w.code)).to.deep.equal(['forbidden_characters', 'control_characters']);
  });

  it('round-trips a site through a sub-customer and back', () => {
    const text = fc.option(fc.string({ unit: 'grapheme', maxLength: 60 }), { nil: null });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), text, text, text, fc.boolean(), (name, contact, phone, city, active) => {
        const s = siteSnapshot(workSite('s', 'w', { name, contactName: contact, phone, address: { ...NO_ADDRESS, city }, active }));
        if (s.name === null) return;
        const created = asCreated('7', siteSnapshotToSubCustomerCreate(s, s.name, '1'));
        const back = subCustomerSnapshot(created, { defaultState: null, defaultCountry: null, fillSiteFromClient: false });
        expect(back).to.deep.equal(s);
        expect(siteSnapshot(workSite('s', 'w', snapshotToNewSite(back)))).to.deep.equal(s);
        expect(snapshotToSitePatch(back, ['city'])).to.deep.equal({ address: { ...NO_ADDRESS, city: s.city } });
      }),
      { numRuns: 300 },
    );
  });

  it('sparse-updates only the fields asked', () => {
    expect(siteSnapshotToSubCustomerBody(siteSnapshot(site), {}, ['email'])).to.deep.equal({ PrimaryEmailAddr: { Address: 'site@acme.com' } });
  });
});

describe('sync mappers: snapshot hash', () => {
  it('is sha256 of canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).to.equal('{"a":{"c":"x","d":null},"b":1}');
    expect(snapshotHash({ b: true, a: null })).to.equal(snapshotHash({ a: null, b: true }));
    expect(snapshotHash({ a: 'x' })).to.match(/^[0-9a-f]{64}$/u);
    expect(snapshotHash({ a: 'x' })).to.not.equal(snapshotHash({ a: 'y' }));
    expect(snapshotHash({ a: null })).to.not.equal(snapshotHash({ a: '' }));
  });
  it('does not depend on key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.boolean(), fc.constant(null))), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        expect(snapshotHash(reversed)).to.equal(snapshotHash(d));
      }),
    );
  });
  it('refuses what JSON cannot hold exactly', () => {
    expect(() => snapshotHash({ a: Number.NaN })).to.throw(TypeError);
    expect(() => snapshotHash({ a: () => 1 })).to.throw(TypeError);
  });
});

describe('sync mappers: hostile values', () => {
  const hostile: Array<[string, string]> = [
    ['quotes', 'He said "hi" it\'s'],
    ['backslashes', 'C:\\Temp\\acme'],
    ['colons', 'Acme: West: Depot'],
    ['tabs', 'Acme\tWest'],
    ['newlines', 'Acme\r\nWest'],
    ['emoji', 'Rocket 🚀👩‍🔧 Co'],
    ['right-to-left text', '\u05E9\u05DC\u05D5\u05DD \u202Eevil\u202C'],
    ['1,000 characters', 'N'.repeat(1000)],
    ['HTML', '<img src=x onerror="alert(1)">'],
    ['NUL', 'Nul\u0000Co'],
  ];
  for (const [what, value] of hostile) {
    it(`sends ${what} in every name field in a form QBO accepts, and reads it back unchanged`, () => {
      const c = workClient('w', { companyName: value, firstName: value, lastName: value, notes: value, phone: value, billingAddress: { ...NO_ADDRESS, line1: value, city: value } });
      const { snapshot } = prepareClientSnapshot(c);
      const body = snapshotToCustomerCreate(snapshot, displayNameForClient(c).name ?? 'x');
      for (const name of [body.DisplayName, body.CompanyName, body.GivenName, body.FamilyName]) {
        expect(name).to.be.a('string');
        expect(name).to.not.match(/[:\t\n\r\p{Cc}]/u);
      }
      expect(Array.from(body.CompanyName ?? '').length).to.be.at.most(100);
      expect(Array.from(body.DisplayName).length).to.be.at.most(500);
      expect(Array.from(body.Notes ?? '').length).to.be.at.most(2000);
      expect(Array.from(body.PrimaryPhone?.FreeFormNumber ?? '').length).to.be.at.most(30);
      expect((body.Notes ?? '').includes(String.fromCharCode(0))).to.equal(false);
      expect(customerSnapshot(asCreated('1', body))).to.deep.equal(snapshot);
      expect(snapshotHash(customerSnapshot(asCreated('1', body)))).to.equal(snapshotHash(snapshot));
    });
  }
});
