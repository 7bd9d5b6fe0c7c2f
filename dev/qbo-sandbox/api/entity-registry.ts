/** Which lower-case path segment is which entity, and which of them can be written through the API. */
import type { EntityName } from '../contracts';
import { accountService, itemService } from './entities/item-account';
import { customerService } from './entities/customer';
import { invoiceService } from './entities/invoice';
import { paymentService } from './entities/payment';
import { employeeService, vendorService } from './entities/vendor-employee';
import type { EntityService } from './entity-service';

export const WRITABLE_SERVICES: Record<string, EntityService> = {
  customer: customerService,
  vendor: vendorService,
  employee: employeeService,
  item: itemService,
  account: accountService,
  invoice: invoiceService,
  payment: paymentService,
};

/** Readable by id: every writable entity plus the reference lists. */
export const READABLE_ENTITIES: Record<string, EntityName> = {
  customer: 'Customer',
  vendor: 'Vendor',
  employee: 'Employee',
  item: 'Item',
  account: 'Account',
  invoice: 'Invoice',
  payment: 'Payment',
  paymentmethod: 'PaymentMethod',
  taxcode: 'TaxCode',
  term: 'Term',
};

/** Batch items name the entity by its QBO name ("Customer"). */
export function serviceByEntityName(name: string): EntityService | undefined {
  return Object.values(WRITABLE_SERVICES).find((s) => s.entity === name);
}
