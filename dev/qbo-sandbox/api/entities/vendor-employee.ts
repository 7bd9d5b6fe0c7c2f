/** Vendor and Employee: only what the shared DisplayName namespace and deactivation need, plus their defaults. */
import type { EntityName, QboObject } from '../../contracts';
import { faults } from '../../faults';
import { currencyOf } from '../../store/seed-company';
import type { StoredRecord } from '../../store/stored-record';
import type { ApiContext } from '../api-context';
import { maxLength, optionalBoolean, optionalString } from '../body-checks';
import type { EntityService } from '../entity-service';
import { assertDisplayNameFree, baseName, checkPersonFields, copyPresent, derivedDisplayName, nameForActiveState, withAddressIds } from './person-fields';

const COMMON = [
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'PrimaryPhone', 'Mobile', 'PrimaryEmailAddr',
] as const;
const VENDOR_WRITABLE = [
  ...COMMON, 'CompanyName', 'AlternatePhone', 'Fax', 'WebAddr', 'BillAddr', 'OtherContactInfo', 'TaxIdentifier', 'TermRef',
  'AcctNum', 'APAccountRef', 'BillRate', 'CostRate', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'T4AEligible',
  'T5018Eligible', 'TaxReportingBasis', 'HasTPAR', 'VendorPaymentBankDetail', 'Source',
];
const EMPLOYEE_WRITABLE = [
  ...COMMON, 'PrimaryAddr', 'EmployeeNumber', 'SSN', 'BillRate', 'CostRate', 'BirthDate', 'Gender', 'HiredDate', 'ReleasedDate', 'Organization',
];
const SYSTEM = ['Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'DisplayName', 'PrintOnCheckName', 'Active', 'V4IDPseudonym'];

function personBuild(entity: EntityName, writable: readonly string[], ctx: ApiContext, incoming: QboObject, prev: StoredRecord | undefined): { out: QboObject; displayName: string; active: boolean } {
  checkPersonFields(entity, incoming);
  const active = optionalBoolean(entity, incoming, 'Active') ?? true;
  const given = optionalString(entity, incoming, 'DisplayName') ?? derivedDisplayName(incoming);
  if (given === undefined || given.trim() === '') throw faults.requiredMissing('DisplayName');
  const displayName = nameForActiveState(given.trim(), active, prev);
  assertDisplayNameFree(ctx, displayName, prev ? { entity, id: prev.id } : undefined);
  const out: QboObject = {};
  copyPresent(incoming, out, writable);
  withAddressIds(ctx, out, prev?.object);
  return { out, displayName, active };
}

export const vendorService: EntityService = {
  entity: 'Vendor',
  known: new Set([...SYSTEM, ...VENDOR_WRITABLE, 'Vendor1099', 'Balance', 'CurrencyRef']),
  build(ctx, incoming, prev) {
    maxLength('AcctNum', optionalString('Vendor', incoming, 'AcctNum'), 100);
    const { out, displayName, active } = personBuild('Vendor', VENDOR_WRITABLE, ctx, incoming, prev);
    return {
      Balance: prev?.object['Balance'] ?? 0,
      Vendor1099: optionalBoolean('Vendor', incoming, 'Vendor1099') ?? false,
      CurrencyRef: currencyOf(ctx.company.country),
      ...out,
      DisplayName: displayName,
      PrintOnCheckName: optionalString('Vendor', incoming, 'PrintOnCheckName') ?? optionalString('Vendor', incoming, 'CompanyName') ?? baseName(displayName),
      Active: active,
    };
  },
};

export const employeeService: EntityService = {
  entity: 'Employee',
  known: new Set([...SYSTEM, ...EMPLOYEE_WRITABLE, 'BillableTime']),
  build(ctx, incoming, prev) {
    const { out, displayName, active } = personBuild('Employee', EMPLOYEE_WRITABLE, ctx, incoming, prev);
    return {
      BillableTime: optionalBoolean('Employee', incoming, 'BillableTime') ?? false,
      ...out,
      DisplayName: displayName,
      PrintOnCheckName: optionalString('Employee', incoming, 'PrintOnCheckName') ?? baseName(displayName),
      Active: active,
    };
  },
};
