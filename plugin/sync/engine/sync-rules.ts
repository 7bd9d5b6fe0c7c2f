import type { NewWorkClient, NewWorkSite, WorkClient, WorkSite } from '../../host/work-records';
import type { QboCustomer } from '../../qbo/entities/customer';
import type { CustomerInput } from '../../qbo/entities/inputs';
import type {
  ClientSnapshot,
  MappingSettings,
  MergeInput,
  MergeResult,
  NameWarning,
  OnboardingInput,
  OnboardingPlan,
  SiteSnapshot,
} from '../plan/types';

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
  /** A sparse-update body with only the given fields (DisplayName follows CompanyName when it changes). */
  customerPatch(fields: Partial<ClientSnapshot>, displayName: string | null): Partial<CustomerInput>;
  subCustomerBody(snapshot: SiteSnapshot, displayName: string, parentQboId: string): CustomerInput;
  clientInput(snapshot: ClientSnapshot): NewWorkClient;
  clientPatch(fields: Partial<ClientSnapshot>): Partial<NewWorkClient>;
  siteInput(snapshot: SiteSnapshot): Omit<NewWorkSite, 'clientId'>;
  /** The DisplayName a client gets in QBO (cleaned), or null when it has none (blank). */
  displayNameForClient(client: WorkClient): { name: string | null; warnings: NameWarning[] };
  /** `wanted` made unique against `taken` (normalised names) with the deterministic suffix. */
  chooseDisplayName(wanted: string, taken: ReadonlySet<string>): { name: string; warnings: NameWarning[] };
  /** The key two DisplayNames collide on in QBO (case-insensitive). */
  nameKey(name: string): string;
}
