import { expect } from 'chai';
import { PLAN_ACTION_TEXTS, PLAN_MATCH_TEXTS, PLAN_REASON_TEXTS, planReasonText } from '../../plugin/messages';
import type { PlanReasonCode } from '../../plugin/sync/plan/types';

// A Record over the union: adding a reason code without listing it here fails the typecheck.
const ALL_REASONS: Record<PlanReasonCode, true> = {
  blank_name: true, duplicate_in_work: true, duplicate_in_qbo: true, ambiguous_match: true, name_taken_by_vendor: true,
  name_taken_by_employee: true, name_taken_by_inactive_customer: true, name_taken_by_customer: true, parent_not_ready: true,
  parent_inactive: true, too_long: true, forbidden_characters: true, invalid_email: true,
};

describe('sync plan: bookkeeper texts for reason codes', () => {
  for (const code of Object.keys(ALL_REASONS) as PlanReasonCode[]) {
    it(`explains ${code}: what happened and what to do, without developer words`, () => {
      const text = planReasonText(code);
      expect(text.length).to.be.greaterThan(60);
      expect(text).to.not.match(/\b(null|undefined|API|6240|2040|2050|DisplayName|CompanyName|snapshot)\b/u);
    });
  }
  it('has a text for every action and match kind, and no unknown reason', () => {
    expect(Object.keys(PLAN_REASON_TEXTS).sort()).to.deep.equal(Object.keys(ALL_REASONS).sort());
    expect(Object.keys(PLAN_ACTION_TEXTS)).to.have.length(6);
    expect(Object.keys(PLAN_MATCH_TEXTS)).to.have.length(3);
  });
});
