import { expect } from 'chai';
import { entityOf, startHarness, type SandboxHarness } from './sandbox-api-harness';

describe('sandbox pages: what reached "QuickBooks"', function () {
  let h: SandboxHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('lists companies and, per company, customers with sub-customers under their parent, invoices and payments, all escaped', async () => {
    const company = h.company({ companyName: 'Pages <Co> & "Sons"' });
    const api = h.api(company.realmId);
    const parent = entityOf((await api.post('/customer', { DisplayName: 'Omega <script>alert(1)</script>' })).body, 'Customer');
    await api.post('/customer', { DisplayName: 'Aardvark Site', Job: true, ParentRef: { value: parent['Id'] } });
    await api.post('/customer', { DisplayName: 'Beta Client' });
    await api.post('/invoice', { CustomerRef: { value: parent['Id'] }, DocNumber: 'INV-<1>', Line: [{ Amount: 12.5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] });
    await api.post('/payment', { CustomerRef: { value: parent['Id'] }, TotalAmt: 2.5 });

    const index = await (await fetch(`${h.sandbox.baseUrl}/`)).text();
    expect(index).to.contain('Pages &lt;Co&gt; &amp; &quot;Sons&quot;');
    expect(index).to.contain(`/companies/${company.realmId}`);

    const res = await fetch(`${h.sandbox.baseUrl}/companies/${company.realmId}`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.not.contain('<script>alert(1)</script>');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).to.contain('INV-&lt;1&gt;');
    expect(html).to.contain('12.5');
    // The sub-customer follows its parent (indented) although by name it would come first.
    const parentAt = html.indexOf('&lt;script&gt;');
    const siteAt = html.indexOf('Aardvark Site');
    const betaAt = html.indexOf('Beta Client');
    expect(betaAt).to.be.lessThan(parentAt);
    expect(siteAt).to.be.greaterThan(parentAt);
    expect(html.slice(parentAt, siteAt)).to.contain('padding-left:1.8em');
    expect(html).to.match(/Payments \(1\)/);

    expect((await fetch(`${h.sandbox.baseUrl}/companies/404404`)).status).to.equal(404);
  });
});
