/**
 * The host seam: the one interface through which Work (the host monolith) gives the plugin what it needs.
 * Nothing outside plugin/host may know anything else about Work.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Knex } from 'knex';
import type {
  NewWorkClient,
  NewWorkItem,
  NewWorkSite,
  WorkClient,
  WorkInvoice,
  WorkItem,
  WorkPayment,
  WorkSite,
} from './work-records';

/** The Work models whose lifecycle the plugin follows. */
export type WorkEntity = 'client' | 'site' | 'invoice' | 'payment';
export const WORK_ENTITIES: readonly WorkEntity[] = ['client', 'site', 'invoice', 'payment'];

export type LifecycleAction = 'created' | 'updated' | 'deleted';

/**
 * A model lifecycle event. It is delivered while the host's transaction is still open: whatever a listener
 * writes through `trx` commits or rolls back with the host's own save.
 */
export interface LifecycleEvent {
  entity: WorkEntity;
  action: LifecycleAction;
  accountId: string;
  recordId: string;
  trx: Knex.Transaction;
  occurredAt: Date;
}

export type LifecycleListener = (event: LifecycleEvent) => Promise<void>;

export interface AccountRef {
  id: string;
  name: string;
}

export interface ListPage {
  /** Return records whose id sorts after this one (keyset paging). */
  afterId?: string;
  limit?: number;
}

/** Options every port call accepts: run inside the caller's transaction. */
export interface PortCallOptions {
  trx?: Knex.Transaction;
}

export interface ClientPort {
  list(accountId: string, page?: ListPage & PortCallOptions): Promise<WorkClient[]>;
  get(accountId: string, id: string, opts?: PortCallOptions): Promise<WorkClient | null>;
  create(accountId: string, input: NewWorkClient, opts?: PortCallOptions): Promise<WorkClient>;
  update(accountId: string, id: string, patch: Partial<NewWorkClient>, opts?: PortCallOptions): Promise<WorkClient>;
}

export interface SitePort {
  list(accountId: string, page?: ListPage & PortCallOptions & { clientId?: string }): Promise<WorkSite[]>;
  get(accountId: string, id: string, opts?: PortCallOptions): Promise<WorkSite | null>;
  create(accountId: string, clientId: string, input: Omit<NewWorkSite, 'clientId'>, opts?: PortCallOptions): Promise<WorkSite>;
  update(accountId: string, id: string, patch: Partial<Omit<NewWorkSite, 'clientId'>>, opts?: PortCallOptions): Promise<WorkSite>;
}

export interface InvoicePort {
  list(accountId: string, page?: ListPage & PortCallOptions): Promise<WorkInvoice[]>;
  get(accountId: string, id: string, opts?: PortCallOptions): Promise<WorkInvoice | null>;
}

export interface PaymentPort {
  list(accountId: string, page?: ListPage & PortCallOptions): Promise<WorkPayment[]>;
  get(accountId: string, id: string, opts?: PortCallOptions): Promise<WorkPayment | null>;
}

export interface ItemPort {
  list(accountId: string, page?: ListPage & PortCallOptions): Promise<WorkItem[]>;
  get(accountId: string, id: string, opts?: PortCallOptions): Promise<WorkItem | null>;
  findByName(accountId: string, name: string, opts?: PortCallOptions): Promise<WorkItem | null>;
  create(accountId: string, input: NewWorkItem, opts?: PortCallOptions): Promise<WorkItem>;
  update(accountId: string, id: string, patch: Partial<NewWorkItem>, opts?: PortCallOptions): Promise<WorkItem>;
  /**
   * Decimal places Work keeps in an item's unit price. A price with more is refused by the plugin, never
   * rounded silently. Absent: QuickBooks' own limit (7).
   */
  readonly unitPriceDecimals?: number;
}

/**
 * Reading and writing Work's own records. Every call is scoped to one account. Writes made through the port
 * fire lifecycle events like any other save.
 */
export interface WorkPort {
  clients: ClientPort;
  sites: SitePort;
  invoices: InvoicePort;
  payments: PaymentPort;
  items: ItemPort;
}

/** One of the plugin's pages, handed to the host to show inside Work's own layout. */
export interface PluginPage {
  /** The page's title, without the host's suffix ("QuickBooks Online · Settings"). */
  title: string;
  /** Tags for the document head (the plugin's stylesheet link); markup the plugin rendered and escaped. */
  headHtml: string;
  /** The page's content (no <main>: the host's layout holds the main landmark); rendered and escaped by the plugin. */
  bodyHtml: string;
}

export interface WorkHost {
  /** The host's database. The plugin's qbo_* tables live in it. */
  knex: Knex;
  /** Mount an Express router at a path of the host's app (the plugin uses /settings/integrations/quickbooks). */
  mountRouter(path: string, router: Router): void;
  /** Lets a request through only when its user is an admin of the current account. */
  requireAdmin: RequestHandler;
  /** The account of the signed-in user making this request, or null when nobody is signed in. */
  currentAccount(req: Request): AccountRef | null;
  /** Subscribe to model lifecycle events; returns the unsubscribe function. */
  onLifecycle(listener: LifecycleListener): () => void;
  work: WorkPort;
  /**
   * Optional: send `page` inside the host's layout (its head, nav and flash area), keeping the status and
   * headers the plugin already set on `res`. Without it the plugin wraps its pages in a minimal layout of its own.
   */
  renderPage?(req: Request, res: Response, page: PluginPage): Promise<void>;
}
