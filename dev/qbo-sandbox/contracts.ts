/**
 * The contract between the sandbox's API half (store, entities, validation, query, batch, cdc, list page)
 * and its server half (OAuth, auth check, limits, idempotency, fault injection, control API, webhooks, CLI).
 * Both halves build on these types; change them only together.
 */
import type { SandboxClock } from './clock';
import type { StoreSnapshot } from './store/sandbox-store';

export type Country = 'US' | 'CA' | 'GB';

export interface CompanyOptions {
  /** Numeric string like Intuit's realm ids; generated when omitted. */
  realmId?: string;
  companyName: string;
  country: Country;
  /** e.g. "QuickBooks Online Plus"; "QuickBooks Self-Employed" is a product the plugin must refuse. */
  offeringSku: string;
  customTxnNumbers: boolean;
  /** Seed it like an Intuit sandbox company (Services item, accounts, payment methods, terms, vendors, employees). Default true. */
  seed?: boolean;
  /**
   * Also add the demo customers of its country (store/demo-customers.ts): Intuit's sample customers and ones
   * that meet the Work stand-in's seeded clients. Default false; `npm start` asks for it.
   */
  demoCustomers?: boolean;
}

export interface CompanySummary {
  realmId: string;
  companyName: string;
  country: Country;
  offeringSku: string;
  customTxnNumbers: boolean;
}

/** A QBO entity object as JSON (Id, SyncToken, MetaData, ...). */
export type QboObject = Record<string, unknown>;

/** Entities the store knows, by their QBO name. */
export type EntityName =
  | 'Customer' | 'Vendor' | 'Employee' | 'Item' | 'Invoice' | 'Payment' | 'Account'
  | 'PaymentMethod' | 'TaxCode' | 'Term' | 'CompanyInfo' | 'Preferences';

export interface SandboxStoreApi {
  createCompany(opts: CompanyOptions): CompanySummary;
  listCompanies(): CompanySummary[];
  getCompany(realmId: string): CompanySummary | null;
  /** Insert objects as they are (Id and SyncToken assigned when missing), without counting as API calls. */
  bulkLoad(realmId: string, entity: EntityName, objects: QboObject[]): QboObject[];
  /** Every stored object of one entity, including inactive and deleted ones marked as such. */
  all(realmId: string, entity: EntityName): QboObject[];
  /**
   * Stands in for a bank deposit made in QuickBooks: the payment can no longer be changed, voided or
   * deleted (fault 6540). Optional so other store implementations need not model deposits.
   */
  markDeposited?(realmId: string, paymentId: string): void;
  /** Persistence (startSandbox's stateFile); optional so other store implementations need not offer it. */
  snapshot?(): StoreSnapshot;
  restore?(snapshot: StoreSnapshot): void;
  onChange?(listener: () => void): void;
}

export interface SandboxDeps {
  clock: SandboxClock;
}
