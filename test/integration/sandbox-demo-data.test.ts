/**
 * Issue 13: a demo worth showing. With demoData (as `npm start` runs it) the default companies hold customers
 * like an Intuit sample company, and enough of them meet the Work stand-in's seeded clients that a first
 * sync shows every rule of the customer's FAQ. Checked over HTTP (API and control API) against the real
 * seeds in seeds/demo-clients.ts.
 */
import { expect } from 'chai';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { BLUEBIRD_CLIENTS, FAQ_CLIENTS, ORDINARY_CLIENTS, type SeedClient } from '../../seeds/demo-clients';
import { entityOf, faultCodes, realmClient } from './sandbox-api-harness';

type Json = Record<string, unknown>;

/** The SPEC's comparison: case, surrounding and repeated spaces, punctuation variants. */
function normalised(name: string | null | undefined): string {
  return (name ?? '').normalize('NFKC').toLowerCase().replace(/[.,;:!?'’"()&-]/g, ' ').replace(/\s+/g, ' ').trim();
}

const email = (c: Json): string => String((c['PrimaryEmailAddr'] as Json | undefined)?.['Address'] ?? '').toLowerCase();

interface Matches {
  byNameAndEmail: string[];
  byNameAlone: string[];
  /** Work company names with two or more active top-level QBO customers of that name. */
  ambiguous: string[];
}

function matchesOf(customers: Json[], clients: readonly SeedClient[]): Matches {
  const candidates = customers.filter((c) => c['Active'] === true && c['Job'] === false && normalised(c['CompanyName'] as string) !== '');
  const out: Matches = { byNameAndEmail: [], byNameAlone: [], ambiguous: [] };
  for (const client of clients.filter((c) => normalised(c.companyName) !== '')) {
    const sameName = candidates.filter((c) => normalised(c['CompanyName'] as string) === normalised(client.companyName));
    if (sameName.length > 1) out.ambiguous.push(String(client.companyName));
    else if (sameName.length === 1 && client.email && email(sameName[0] as Json) === client.email.toLowerCase()) out.byNameAndEmail.push(String(client.companyName));
    else if (sameName.length === 1) out.byNameAlone.push(String(client.companyName));
  }
  return out;
}

describe('sandbox demo data: the default companies look like Intuit sample companies and meet Work\'s seeded clients', function () {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ demoData: true, autoApprove: true });
  });
  after(() => sandbox.close());

  const company = (name: string) => {
    const found = sandbox.store.listCompanies().find((c) => c.companyName === name);
    if (!found) throw new Error(`no ${name}`);
    return found.realmId;
  };
  const objects = async (realmId: string, entity: string): Promise<Json[]> =>
    (await (await fetch(`${sandbox.baseUrl}/_control/companies/${realmId}/objects/${entity}`)).json()) as Json[];

  it('gives the default US company a few dozen customers with addresses, sub-customers and inactive ones', async () => {
    const api = realmClient(sandbox, sandbox.defaultRealmId);
    const count = await api.query('SELECT COUNT(*) FROM Customer');
    const active = Number((count.body['QueryResponse'] as Json)['totalCount']);
    expect(active).to.be.within(30, 80);
    const customers = await objects(sandbox.defaultRealmId, 'Customer');
    expect(customers.filter((c) => c['BillAddr'] !== undefined).length).to.be.at.least(customers.length - 2);
    const inactive = customers.filter((c) => c['Active'] === false);
    expect(inactive.length).to.be.at.least(3);
    for (const c of inactive) expect(String(c['DisplayName'])).to.match(/ \(deleted\)$/);
    const jobs = customers.filter((c) => c['Job'] === true);
    expect(jobs.length).to.be.at.least(4);
    for (const job of jobs) {
      const parent = customers.find((c) => c['Id'] === (job['ParentRef'] as Json)['value']);
      expect(parent, String(job['DisplayName'])).to.not.equal(undefined);
      expect(job['FullyQualifiedName']).to.equal(`${String(parent?.['DisplayName'])}:${String(job['DisplayName'])}`);
      expect(job['Level']).to.equal(1);
    }
    const listed = await api.query("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'");
    expect(((listed.body['QueryResponse'] as Json)['Customer'] as Json[] | undefined)?.[0], listed.text).to.deep.include({ CompanyName: "Amy's Bird Sanctuary", Active: true });
  });

  it('stores every demo customer exactly as the API rules would (a sparse no-op update changes nothing)', async () => {
    for (const name of ['Sandbox Company US Plus', 'Sandbox Company CA Essentials', 'Sandbox Company GB Advanced']) {
      const realmId = company(name);
      const api = realmClient(sandbox, realmId);
      for (const customer of await objects(realmId, 'Customer')) {
        const res = await api.post('/customer', { Id: customer['Id'], SyncToken: customer['SyncToken'], sparse: true, DisplayName: customer['DisplayName'], Active: customer['Active'] });
        expect(res.status, `${name}: ${String(customer['DisplayName'])} ${res.text}`).to.equal(200);
        expect(entityOf(res.body, 'Customer'), `${name}: ${String(customer['DisplayName'])}`).to.deep.equal(customer);
      }
    }
  });

  it('meets Northwind\'s clients by company name and email, by company name alone, and ambiguously both ways', async () => {
    const customers = await objects(sandbox.defaultRealmId, 'Customer');
    const matches = matchesOf(customers, [...FAQ_CLIENTS, ...ORDINARY_CLIENTS]);
    expect(matches.byNameAndEmail.length, JSON.stringify(matches)).to.be.at.least(5);
    expect(matches.byNameAlone.length, JSON.stringify(matches)).to.be.at.least(3);
    // Two active QBO customers whose company names normalise equal, for one Work client: the review list.
    expect(matches.ambiguous).to.include('Summit Brewing Co.');
    const summit = customers.filter((c) => c['Active'] === true && normalised(c['CompanyName'] as string) === normalised('Summit Brewing Co.'));
    expect(summit.map((c) => c['CompanyName'])).to.have.length(2).and.to.not.have.members(['Summit Brewing Co.', 'Summit Brewing Co.']);
    // One QBO customer for Work's two "Smith Plumbing" clients, with neither client's e-mail: the reverse ambiguity.
    const smith = customers.filter((c) => c['CompanyName'] === 'Smith Plumbing');
    const smithClients = FAQ_CLIENTS.filter((c) => c.companyName === 'Smith Plumbing');
    expect(smith).to.have.length(1);
    expect(smithClients).to.have.length(2);
    expect(smithClients.map((c) => c.email)).to.not.include(email(smith[0] as Json));
    // Sub-customers under customers that meet a client become that client's Sites.
    const pinecrest = customers.find((c) => c['DisplayName'] === 'Pinecrest Senior Living');
    expect(customers.filter((c) => (c['ParentRef'] as Json | undefined)?.['value'] === pinecrest?.['Id'])).to.have.length(2);
  });

  it('holds names a first sync must work around: an inactive customer and a vendor named like Work clients (6240)', async () => {
    const api = realmClient(sandbox, sandbox.defaultRealmId);
    const workNames = new Set([...FAQ_CLIENTS, ...ORDINARY_CLIENTS].filter((c) => c.active).map((c) => normalised(c.companyName)));
    const vendors = await objects(sandbox.defaultRealmId, 'Vendor');
    const vendorLikeClient = vendors.find((v) => v['Active'] === true && workNames.has(normalised(v['DisplayName'] as string)));
    expect(vendorLikeClient, 'a vendor named like a Work client').to.not.equal(undefined);
    expect(faultCodes((await api.post('/customer', { DisplayName: vendorLikeClient?.['DisplayName'] })).body)).to.deep.equal(['6240']);
    const customers = await objects(sandbox.defaultRealmId, 'Customer');
    const inactiveLikeClient = customers.find((c) => c['Active'] === false && workNames.has(normalised(String(c['DisplayName']).replace(/ \(deleted\)$/, ''))));
    expect(inactiveLikeClient, 'an inactive customer named like an active Work client').to.not.equal(undefined);
    expect(faultCodes((await api.post('/customer', { DisplayName: 'Valley Farm Supply' })).body)).to.deep.equal(['6240']);
  });

  it('gives the Canadian company customers that meet Bluebird\'s clients, and a vendor named like one', async () => {
    const realmId = company('Sandbox Company CA Essentials');
    const matches = matchesOf(await objects(realmId, 'Customer'), BLUEBIRD_CLIENTS);
    expect(matches.byNameAndEmail).to.include('Gulf Coast Marine');
    expect(matches.byNameAlone).to.include('Les Entreprises Bélanger');
    const vendors = await objects(realmId, 'Vendor');
    expect(vendors.map((v) => v['DisplayName'])).to.include('Redwood Cabins');
    expect(BLUEBIRD_CLIENTS.map((c) => c.companyName)).to.include('Redwood Cabins');
  });

  it('connects the default US company with --auto-approve, and seeds nothing into the Self-Employed company', async () => {
    const query = new URLSearchParams({ client_id: 'sandbox-test-client', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: 'http://127.0.0.1:1/cb', state: 's' });
    const res = await fetch(`${sandbox.baseUrl}/connect/oauth2?${query.toString()}`, { redirect: 'manual' });
    const realmId = new URL(String(res.headers.get('location'))).searchParams.get('realmId');
    expect(realmId).to.equal(sandbox.defaultRealmId);
    expect(sandbox.store.getCompany(String(realmId))?.companyName).to.equal('Sandbox Company US Plus');
    expect(await objects(company('Sandbox Self-Employed'), 'Customer')).to.deep.equal([]);
  });

  it('leaves the companies without customers when demo data is not asked for (tests start from there)', async () => {
    const plain = await startSandbox();
    try {
      for (const c of plain.store.listCompanies()) expect(plain.store.all(c.realmId, 'Customer'), c.companyName).to.deep.equal([]);
    } finally {
      await plain.close();
    }
  });
});
