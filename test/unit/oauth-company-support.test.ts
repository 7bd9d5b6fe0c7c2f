import { expect } from 'chai';
import { decideCompanySupport } from '../../plugin/qbo/oauth/company-support';

describe('which QuickBooks companies can connect (OfferingSku)', () => {
  for (const sku of ['QuickBooks Online Simple Start', 'QuickBooks Online Essentials', 'QuickBooks Online Plus', 'QuickBooks Online Advanced', 'QBO Plus', '  QuickBooks  Online   advanced ']) {
    it(`accepts "${sku}"`, () => {
      expect(decideCompanySupport(sku).supported).to.equal(true);
    });
  }

  for (const sku of ['QuickBooks Self-Employed', 'QuickBooks Online Self-Employed', 'QuickBooks Self Employed']) {
    it(`refuses "${sku}" as Self-Employed`, () => {
      expect(decideCompanySupport(sku)).to.deep.equal({ supported: false, refusal: 'self_employed' });
    });
  }

  for (const sku of ['QuickBooks Online', 'QuickBooks Online Ledger', 'QuickBooks Desktop Pro', 'Plus', 'QuickBooks Online Plus Payroll']) {
    it(`refuses the unknown plan "${sku}"`, () => {
      expect(decideCompanySupport(sku)).to.deep.equal({ supported: false, refusal: 'unsupported_sku' });
    });
  }

  it('treats a missing or blank OfferingSku as an unreadable company', () => {
    expect(decideCompanySupport(null)).to.deep.equal({ supported: false, refusal: 'company_unreadable' });
    expect(decideCompanySupport('  ')).to.deep.equal({ supported: false, refusal: 'company_unreadable' });
  });

  it('names the plan it accepted', () => {
    expect(decideCompanySupport('QuickBooks Online Essentials')).to.deep.equal({ supported: true, plan: 'Essentials' });
  });
});
