import {
  clientSnapshot,
  customerSnapshot,
  snapshotToClientPatch,
  snapshotToCustomerBody,
  snapshotToCustomerCreate,
  snapshotToNewClient,
} from '../mappers/client-customer';
import { siteSnapshot, siteSnapshotToSubCustomerCreate, snapshotToNewSite, subCustomerSnapshot } from '../mappers/site-subcustomer';
import { snapshotHash } from '../mappers/snapshot-hash';
import { mergeSnapshots } from '../plan/merge';
import { planOnboarding } from '../plan/onboarding-plan';
import { chooseDisplayName, displayNameForClient, displayNameKey, TakenNames } from '../plan/qbo-name-rules';
import type { SyncRules } from './sync-rules';

/**
 * The engine's rules, wired to the planning side's pure functions. Thin adapters only: the engine passes
 * the merged snapshot and the changed fields, and the mappers build the bodies and patches.
 */
export const DEFAULT_SYNC_RULES: SyncRules = {
  planOnboarding,
  clientSnapshot,
  customerSnapshot,
  siteSnapshot,
  subCustomerSnapshot,
  snapshotHash,
  mergeClient: (input) => mergeSnapshots(input),
  customerBody: (snapshot, displayName) => snapshotToCustomerCreate(snapshot, displayName),
  // DisplayName only as the engine chose it for a rename (full name, unique, like a create's), never CompanyName's cut.
  customerPatch: (snapshot, fields, displayName) => snapshotToCustomerBody(snapshot, displayName !== undefined ? { displayName } : {}, fields),
  subCustomerBody: (snapshot, displayName, parentQboId) => siteSnapshotToSubCustomerCreate(snapshot, displayName, parentQboId),
  clientInput: snapshotToNewClient,
  clientPatch: (snapshot, fields) => snapshotToClientPatch(snapshot, fields),
  siteInput: snapshotToNewSite,
  displayNameForClient: (client) => {
    const wanted = displayNameForClient(client);
    return { name: wanted.name, warnings: wanted.warnings };
  },
  chooseDisplayName: (wanted, taken) => {
    const names = new TakenNames();
    for (const name of taken) if (displayNameKey(name) !== displayNameKey(wanted)) names.add(name, { kind: 'customer' });
    names.add(wanted, { kind: 'customer' });
    const chosen = chooseDisplayName(wanted, names);
    return { name: chosen.name, warnings: chosen.warnings };
  },
  chooseDisplayNameAmong: (wanted, inUse) => {
    const names = new TakenNames();
    for (const owner of inUse) names.add(owner.name, { kind: owner.kind });
    const chosen = chooseDisplayName(wanted, names);
    return { name: chosen.name, warnings: chosen.warnings };
  },
  nameKey: displayNameKey,
};
