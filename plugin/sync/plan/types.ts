/**
 * Terminology and shared types of the clients-and-sites planning rules (pure functions, no I/O).
 *
 * - Work client ⇄ QBO customer (top-level, Job not true); Work site ⇄ QBO sub-customer (Job true, ParentRef).
 * - snapshot: the synced fields of one record as plain strings/booleans/nulls, in the form QBO can hold
 *   (names cleaned and cut to QBO's lengths), so both sides' snapshots compare equal after a sync.
 * - base: the snapshot as last synced (stored by the engine in qbo_mappings with its hash).
 * - reason codes are stable strings: the engine stores them, plugin/messages.ts explains them.
 *
 * Function signatures (implemented beside this file and in ../mappers/):
 *   normalise.ts        normaliseCompanyName(s) → string | null; normaliseEmail(s) → string | null
 *   match.ts            matchClients(workClients, qboCustomers) → MatchResult
 *   qbo-name-rules.ts   cleanQboName(value, field) → CleanedText; chooseDisplayName(wanted, taken) → ChosenDisplayName;
 *                       displayNameForClient(client) → WantedDisplayName; new TakenNames().add(name, owner)
 *   ../mappers/client-customer.ts   clientSnapshot, customerSnapshot, snapshotToCustomerBody, snapshotToClientPatch
 *   ../mappers/site-subcustomer.ts  siteSnapshot, subCustomerSnapshot, siteSnapshotToSubCustomerBody, snapshotToSitePatch
 *   (the rules and the FAQ sentences they implement: README.md beside this file)
 *   ../mappers/snapshot-hash.ts     snapshotHash(snapshot) → hex sha256 of canonical JSON
 *   merge.ts            mergeSnapshots(input) → MergeResult
 *   onboarding-plan.ts  planOnboarding(input) → OnboardingPlan
 */
import type { NewWorkClient, NewWorkSite, WorkClient, WorkSite } from '../../host/work-records';
import type { QboCustomer } from '../../qbo/entities/customer';
import type { CustomerInput } from '../../qbo/entities/inputs';

export type { WorkClient, WorkSite, QboCustomer, CustomerInput, NewWorkClient, NewWorkSite };

// ---------------------------------------------------------------- snapshots

/** A snapshot value: plain and JSON-safe. Blank text is always null, never "". */
export type SnapshotValue = string | boolean | null;

/** The synced fields of a client / top-level customer. */
export interface ClientSnapshot {
  companyName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  billLine1: string | null;
  billLine2: string | null;
  billCity: string | null;
  billState: string | null;
  billPostalCode: string | null;
  billCountry: string | null;
  notes: string | null;
  active: boolean;
}
export type ClientField = keyof ClientSnapshot;

/** The synced fields of a site / sub-customer (sites sync at onboarding only, the customer's rule). */
export interface SiteSnapshot {
  name: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  active: boolean;
}
export type SiteField = keyof SiteSnapshot;

/** Settings from qbo_settings that the mapping to Work applies. */
export interface MappingSettings {
  /** Used when QBO's address has parts but no state (CountrySubDivisionCode). */
  defaultState: string | null;
  /** Used when QBO's address has parts but no country. */
  defaultCountry: string | null;
  /** Fill a sub-customer's blank contact, email, phone and address from its client when importing it. */
  fillSiteFromClient: boolean;
}

export const DEFAULT_MAPPING_SETTINGS: MappingSettings = { defaultState: null, defaultCountry: null, fillSiteFromClient: true };

// ---------------------------------------------------------------- warnings (names and field rules)

export type WarningCode =
  | 'forbidden_characters' // colon, tab or newline replaced (QBO 2040)
  | 'control_characters' // NUL and other control characters removed
  | 'too_long' // cut to QBO's length on a code-point boundary (QBO 2050)
  | 'invalid_email' // not sent: QBO wants an @ and a dot (2210)
  | 'name_suffixed' // the DisplayName was taken; a numbered suffix was added
  | 'name_from_person' // blank company name: DisplayName from first and last name
  | 'name_from_email'; // blank company and person name: DisplayName from the email

export interface NameWarning {
  code: WarningCode;
  /** The field concerned, e.g. "CompanyName", "DisplayName", "PrimaryEmailAddr". */
  field: string;
  /** Plain detail for the log: what was there and what is sent. Never a secret. */
  detail: string;
}

// ---------------------------------------------------------------- matching

/** 'site_name': a Work site and a sub-customer of the same (linked) parent with the same normalised name. */
export type MatchOn = 'company_and_email' | 'company' | 'site_name';

export type AmbiguityReason =
  | 'several_qbo_candidates' // one Work client, two or more QBO customers
  | 'several_work_candidates' // one QBO customer, two or more Work clients
  | 'several_both_sides';

export interface ClientMatch {
  workId: string;
  qboId: string;
  on: MatchOn;
}

export interface ClientAmbiguity {
  /** Every Work client and every QBO customer of the group, sorted. */
  workIds: string[];
  qboIds: string[];
  on: MatchOn;
  reason: AmbiguityReason;
}

export interface MatchResult {
  matched: ClientMatch[];
  ambiguous: ClientAmbiguity[];
  /** Work clients with no candidate (sorted ids). */
  workOnly: string[];
  /** Active top-level QBO customers with no candidate (sorted ids). */
  qboOnly: string[];
}

// ---------------------------------------------------------------- merge

export interface FieldConflict<F extends string = string> {
  field: F;
  base: SnapshotValue | undefined;
  work: SnapshotValue;
  qbo: SnapshotValue;
  winner: 'work' | 'qbo';
  /** True when there was no base (first link): both sides had a different non-blank value. */
  firstLink: boolean;
}

export interface MergeInput<S> {
  /** Last-synced snapshot; null at the first link. */
  base: S | null;
  work: S;
  qbo: S;
  /** Work's updatedAt. */
  workUpdatedAt: Date;
  /** QBO's MetaData.LastUpdatedTime (ISO string or Date); missing counts as older than any Work time. */
  qboUpdatedAt: Date | string | null | undefined;
}

export interface MergeResult<S> {
  /** Fields to send to QBO, or null when nothing changes there. */
  toQbo: Partial<S> | null;
  /** Fields to write to Work, or null when nothing changes there. */
  toWork: Partial<S> | null;
  conflicts: FieldConflict<Extract<keyof S, string>>[];
  /** What both sides hold after applying toQbo and toWork: the next base. */
  merged: S;
}

// ---------------------------------------------------------------- onboarding plan

export type PlanAction = 'already_linked' | 'link' | 'create_in_qbo' | 'create_in_work' | 'review' | 'blocked';

export type PlanReasonCode =
  | 'blank_name'
  | 'duplicate_in_work'
  | 'duplicate_in_qbo'
  | 'ambiguous_match'
  | 'name_taken_by_vendor'
  | 'name_taken_by_employee'
  | 'name_taken_by_inactive_customer'
  | 'name_taken_by_customer'
  | 'parent_not_ready'
  | 'parent_inactive'
  | 'too_long'
  | 'forbidden_characters'
  | 'invalid_email';

export type PlanEntity = 'client' | 'site';

export interface MappingRef {
  entity: PlanEntity;
  workId: string;
  qboId: string;
}

export type TakenNameKind = 'vendor' | 'employee';

export interface TakenName {
  name: string;
  kind: TakenNameKind;
}

export interface PlanEntry {
  entity: PlanEntity;
  action: PlanAction;
  /** Null when the record is only in QBO (create_in_work, or a QBO-side review/blocked entry). */
  workId: string | null;
  /** Null when the record is only in Work. */
  qboId: string | null;
  /** For 'link': what matched. */
  on?: MatchOn;
  /** For 'review' and 'blocked'. */
  reason?: PlanReasonCode;
  /** For 'review': every candidate on both sides. */
  candidates?: { workIds: string[]; qboIds: string[] };
  /** For 'create_in_qbo': the DisplayName to send (already cleaned, unique, suffixed if needed). */
  displayName?: string;
  /** Fixes applied (cut, replaced characters, suffix): logged as warnings, the record still goes ahead. */
  warnings: NameWarning[];
  /** The same fixes as reason codes (for the preview's counts and planReasonText), sorted, no repeats. */
  fixed?: PlanReasonCode[];
  /** Sites: the parent on each side (a Work client id and/or a QBO customer id; either may be created in this plan). */
  parent?: { workClientId: string | null; qboCustomerId: string | null };
  /** Dependency layer for writes: 0 clients/customers, 1 sites/sub-customers (parents first). */
  layer: 0 | 1;
}

export interface PlanSummary {
  total: number;
  byAction: Record<PlanAction, number>;
  byReason: Partial<Record<PlanReasonCode, number>>;
  byEntity: Record<PlanEntity, Record<PlanAction, number>>;
  /** Entries that go ahead with a fix, per fix (too_long, forbidden_characters, name_taken_by_vendor...). */
  byFix?: Partial<Record<PlanReasonCode, number>>;
}

export interface OnboardingInput {
  workClients: WorkClient[];
  workSites: WorkSite[];
  /** Every QBO customer: active and inactive, top-level and sub-customers. */
  qboCustomers: QboCustomer[];
  /** DisplayNames of vendors and employees (inactive ones included). */
  takenNames: TakenName[];
  existingMappings: MappingRef[];
  settings: MappingSettings;
}

export interface OnboardingPlan {
  clients: PlanEntry[];
  sites: PlanEntry[];
  summary: PlanSummary;
}

// ---------------------------------------------------------------- the functions' signatures (implemented beside this file)

export type NormaliseCompanyName = (value: string | null | undefined) => string | null;
export type NormaliseEmail = (value: string | null | undefined) => string | null;
export type MatchClients = (workClients: readonly WorkClient[], qboCustomers: readonly QboCustomer[]) => MatchResult;
export type ClientSnapshotOf = (client: WorkClient) => ClientSnapshot;
export type CustomerSnapshotOf = (customer: QboCustomer, settings?: MappingSettings) => ClientSnapshot;
export type SiteSnapshotOf = (site: WorkSite) => SiteSnapshot;
export type SubCustomerSnapshotOf = (subCustomer: QboCustomer, settings?: MappingSettings, parent?: ClientSnapshot | null) => SiteSnapshot;
export type SnapshotHash = (snapshot: object) => string;
export type MergeSnapshots = <S extends object>(input: MergeInput<S>) => MergeResult<S>;
export type PlanOnboarding = (input: OnboardingInput) => OnboardingPlan;
