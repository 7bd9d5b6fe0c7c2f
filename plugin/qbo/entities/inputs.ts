import type Decimal from 'decimal.js';

/**
 * What the plugin sends when it writes. Money and quantities are Decimal here and stay Decimal until
 * wire-json writes them as exact JSON numbers: no JS float ever holds an amount on the way out.
 */

export interface RefInput {
  value: string;
  name?: string;
}

export interface AddressInput {
  Line1?: string;
  Line2?: string;
  Line3?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

export interface CustomerInput {
  DisplayName: string;
  GivenName?: string;
  MiddleName?: string;
  FamilyName?: string;
  CompanyName?: string;
  PrimaryEmailAddr?: { Address: string };
  PrimaryPhone?: { FreeFormNumber: string };
  Mobile?: { FreeFormNumber: string };
  BillAddr?: AddressInput;
  ShipAddr?: AddressInput;
  Notes?: string;
  Active?: boolean;
  /** Sub-customer (a Work site): Job true with ParentRef (6150 without it). */
  Job?: boolean;
  ParentRef?: RefInput;
  BillWithParent?: boolean;
}

export interface ItemInput {
  Name: string;
  Type: 'Service' | 'NonInventory';
  /** A Service item needs it (2020 otherwise). */
  IncomeAccountRef: RefInput;
  Description?: string;
  UnitPrice?: Decimal;
  Taxable?: boolean;
  Active?: boolean;
}

export interface InvoiceLineInput {
  /** Must equal round(Qty × UnitPrice, 2) exactly (6070 otherwise). */
  Amount: Decimal;
  DetailType: 'SalesItemLineDetail';
  Description?: string;
  SalesItemLineDetail: {
    ItemRef: RefInput;
    Qty?: Decimal;
    UnitPrice?: Decimal;
    /** US companies: "TAX" or "NON" (6100 otherwise). */
    TaxCodeRef?: RefInput;
    ServiceDate?: string;
  };
}

export interface InvoiceInput {
  CustomerRef: RefInput;
  Line: InvoiceLineInput[];
  /** ≤ 21 characters (2050); only when the company numbers invoices itself is this ignored. */
  DocNumber?: string;
  TxnDate?: string;
  DueDate?: string;
  PrivateNote?: string;
  CustomerMemo?: { value: string };
  BillEmail?: { Address: string };
  BillAddr?: AddressInput;
  ShipAddr?: AddressInput;
}

export interface PaymentLineInput {
  Amount: Decimal;
  LinkedTxn: { TxnId: string; TxnType: 'Invoice' }[];
}

export interface PaymentInput {
  CustomerRef: RefInput;
  TotalAmt: Decimal;
  TxnDate?: string;
  /** Bank or Other Current Asset; omitted means Undeposited Funds. */
  DepositToAccountRef?: RefInput;
  PaymentMethodRef?: RefInput;
  PaymentRefNum?: string;
  PrivateNote?: string;
  /** Without lines the payment is an unapplied credit. */
  Line?: PaymentLineInput[];
}
