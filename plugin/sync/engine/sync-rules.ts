import type { NewWorkClient, NewWorkSite, WorkClient, WorkSite } from '../../host/work-records';
import type { QboCustomer } from '../../qbo/entities/customer';
import type { CustomerInput } from '../../qbo/entities/inputs';
import type {
  ClientField,
  ClientSnapshot,
  MappingSettings,
  MergeInput,
  MergeResult,
  NameWarning,
  OnboardingInput,
  OnboardingPlan,
  SiteSnapshot,
} from '../plan/types';
import type { NameOwnerKind } from '../plan/qbo-name-rules';

/**
 * The pure rules the engine calls (implemented in plugin/sync/plan and plugin/sync/mappers by the planning
 * side; wired in default-rules.ts). The engine never decides a match, a name or a merge itself: it reads,
 * hands the data to these, and writes what they return.
 */
export interface SyncRules {
  planOnboarding(input: OnboardingInput): OnboardingPlan;
  clientSnapshot(client: WorkClient): ClientSnapshot;
  customerSnapshot(customer: QboCustomer, settings: MappingSettings): ClientSnapshot;
  siteSnapshot(site: WorkSite): SiteSnapshot;
  subCustomerSnapshot(subCustomer: QboCustomer, settings: MappingSettings, parent: ClientSnapshot | null): SiteSnapshot;
  snapshotHash(snapshot: object): string;
  mergeClient(input: MergeInput<ClientSnapshot>): MergeResult<ClientSnapshot>;
  /** A create body for a top-level customer with the DisplayName the plan chose. */
  customerBody(snapshot: ClientSnapshot, displayName: string): CustomerInput;
  /** A sparse-update body with only `fields` of `snapshot`, and `displayName` when given (a rename, chosen like a create's). */
  customerPatch(snapshot: ClientSnapshot, fields: readonly ClientField[], displayName?: string): Partial<CustomerInput>;
  subCustomerBody(snapshot: SiteSnapshot, displayName: string, parentQboId: string): CustomerInput;
  clientInput(snapshot: ClientSnapshot): NewWorkClient;
  clientPatch(snapshot: ClientSnapshot, fields: readonly ClientField[]): Partial<NewWorkClient>;
  siteInput(snapshot: SiteSnapshot): Omit<NewWorkSite, 'clientId'>;
  /** The DisplayName a client gets in QBO (cleaned), or null when it has none (blank). */
  displayNameForClient(client: WorkClient): { name: string | null; warnings: NameWarning[] };
  /** `wanted` made unique against the names in use with the deterministic suffix. */
  chooseDisplayName(wanted: string, taken: readonly string[]): { name: string; warnings: NameWarning[] };
  /** `wanted` made unique against the names others hold (with who holds them): the lowest free suffix, warned. */
  chooseDisplayNameAmong(wanted: string, inUse: readonly { name: string; kind: NameOwnerKind }[]): { name: string; warnings: NameWarning[] };
  /** The key two DisplayNames collide on in QBO (case-insensitive). */
  nameKey(name: string): string;
}
