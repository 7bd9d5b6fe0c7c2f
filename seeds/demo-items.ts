import type { NewWorkItem } from '../plugin/host/work-records';

/** Products and services the demo invoices use; one has a 4-decimal price, one a name QBO cannot take as is. */
export const SEED_ITEMS: readonly NewWorkItem[] = [
  { name: 'Labour (hour)', description: 'Technician time, per hour', sku: 'LAB-1', kind: 'service', unitPrice: '85.0000', taxable: false, active: true },
  { name: 'Call-out fee', description: 'Travel to site', sku: 'CALL', kind: 'service', unitPrice: '45.0000', taxable: false, active: true },
  { name: 'Filter: HEPA 16x25', description: 'Replacement air filter', sku: 'FLT-1625', kind: 'product', unitPrice: '23.4567', taxable: true, active: true },
  { name: 'Copper pipe (ft)', description: '3/4" type L copper', sku: 'CU-34', kind: 'product', unitPrice: '4.1250', taxable: true, active: true },
  { name: 'Thermostat', description: 'Programmable thermostat', sku: 'TSTAT', kind: 'product', unitPrice: '129.9900', taxable: true, active: true },
  { name: 'Annual maintenance plan', description: null, sku: null, kind: 'service', unitPrice: '299.0000', taxable: false, active: true },
  { name: 'Discontinued widget', description: null, sku: 'OLD-1', kind: 'product', unitPrice: null, taxable: true, active: false },
];
