import { expect } from 'chai';
import { clientSnapshot, customerSnapshot } from '../../plugin/sync/mappers/client-customer';
import { siteSnapshot, subCustomerSnapshot } from '../../plugin/sync/mappers/site-subcustomer';
import { snapshotHash } from '../../plugin/sync/mappers/snapshot-hash';
import { matchClients } from '../../plugin/sync/plan/match';
import { mergeSnapshots } from '../../plugin/sync/plan/merge';
import { normaliseCompanyName, normaliseEmail } from '../../plugin/sync/plan/normalise';
import { planOnboarding } from '../../plugin/sync/plan/onboarding-plan';
import type {
  ClientSnapshot,
  ClientSnapshotOf,
  CustomerSnapshotOf,
  MatchClients,
  MergeInput,
  MergeResult,
  MergeSnapshots,
  NormaliseCompanyName,
  NormaliseEmail,
  PlanOnboarding,
  SiteSnapshotOf,
  SnapshotHash,
  SubCustomerSnapshotOf,
} from '../../plugin/sync/plan/types';

// The signatures published first in types.ts must stay satisfied by the implementations (the engine builds on them).
const implementations = {
  normaliseCompanyName: normaliseCompanyName satisfies NormaliseCompanyName,
  normaliseEmail: normaliseEmail satisfies NormaliseEmail,
  matchClients: matchClients satisfies MatchClients,
  clientSnapshot: clientSnapshot satisfies ClientSnapshotOf,
  customerSnapshot: customerSnapshot satisfies CustomerSnapshotOf,
  siteSnapshot: siteSnapshot satisfies SiteSnapshotOf,
  subCustomerSnapshot: subCustomerSnapshot satisfies SubCustomerSnapshotOf,
  snapshotHash: snapshotHash satisfies SnapshotHash,
  mergeClient: mergeSnapshots satisfies (input: MergeInput<ClientSnapshot>) => MergeResult<ClientSnapshot>,
  mergeSnapshots: mergeSnapshots satisfies MergeSnapshots,
  planOnboarding: planOnboarding satisfies PlanOnboarding,
};

describe('sync plan: published signatures', () => {
  it('are all implemented', () => {
    for (const [name, fn] of Object.entries(implementations)) expect(fn, name).to.be.a('function');
  });
});
