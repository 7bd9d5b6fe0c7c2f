/**
 * The shapes of Work's records as the plugin sees them through the host port.
 *
 * Terminology:
 * - account: a Work tenant (one field-service company). Every record belongs to exactly one.
 * - client: a Work customer; it maps to a QBO Customer.
 * - site: a place where a client's work is done; it maps to a QBO sub-customer (Job=true, ParentRef).
 * - money and quantities are decimal strings ("12.5000"), never JS numbers, so nothing is lost between
 *   Work's database and the plugin's decimal.js arithmetic.
 * - ids are strings: Work may use bigint keys, and QBO ids are strings too.
 */

/** A decimal number written as a string, e.g. "1234.5678". */
export type DecimalString = string;

/** A calendar date written as YYYY-MM-DD. */
export type IsoDate = string;

export interface PostalAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface WorkClient {
  id: string;
  accountId: string;
  companyName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  billingAddress: PostalAddress;
  notes: string | null;
  active: boolean;
  updatedAt: Date;
}

export interface WorkSite {
  id: string;
  accountId: string;
  clientId: string;
  name: string;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  address: PostalAddress;
  active: boolean;
  updatedAt: Date;
}

export interface WorkInvoiceLine {
  id: string;
  position: number;
  itemId: string | null;
  description: string;
  quantity: DecimalString;
  /** Up to 4 decimals, as Work stores it. */
  unitPrice: DecimalString;
  taxable: boolean;
  /** Work's own per-line tax, unrounded (4 decimals). */
  taxAmount: DecimalString;
}

export interface WorkInvoice {
  id: string;
  accountId: string;
  clientId: string;
  siteId: string | null;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate | null;
  notes: string | null;
  /** Sum of quantity × unit price over the lines, unrounded. */
  subtotal: DecimalString;
  /** Sum of the lines' unrounded tax. */
  taxTotal: DecimalString;
  total: DecimalString;
  lines: WorkInvoiceLine[];
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkPayment {
  id: string;
  accountId: string;
  clientId: string;
  invoiceId: string | null;
  amount: DecimalString;
  paidOn: IsoDate;
  method: string | null;
  reference: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkItem {
  id: string;
  accountId: string;
  name: string;
  description: string | null;
  sku: string | null;
  kind: 'service' | 'product';
  unitPrice: DecimalString | null;
  taxable: boolean;
  active: boolean;
  updatedAt: Date;
}

export type NewWorkClient = Omit<WorkClient, 'id' | 'accountId' | 'updatedAt'>;
export type NewWorkSite = Omit<WorkSite, 'id' | 'accountId' | 'updatedAt'>;
export type NewWorkItem = Omit<WorkItem, 'id' | 'accountId' | 'updatedAt'>;
