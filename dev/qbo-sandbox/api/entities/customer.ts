/**
 * Customer: the shared person rules, sub-customers (Job + ParentRef, FullyQualifiedName "Parent:Child",
 * at most 5 levels, 6150 without a parent), and the customer defaults seen in the recordings.
 */
import type { QboObject } from '../../contracts';
import { faults } from '../../faults';
import { currencyOf } from '../../store/seed-company';
import type { StoredRecord } from '../../store/stored-record';
import type { ApiContext } from '../api-context';
import { optionalBoolean, optionalRef, optionalString } from '../body-checks';
import type { EntityService } from '../entity-service';
import { activeRef } from './refs';
import {
  assertDisplayNameFree, baseName, checkPersonFields, copyPresent, derivedDisplayName, nameForActiveState, withAddressIds,
} from './person-fields';

const WRITABLE = [
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'CompanyName', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax',
  'PrimaryEmailAddr', 'WebAddr', 'BillAddr', 'ShipAddr', 'Notes', 'SalesTermRef', 'PaymentMethodRef', 'ResaleNum',
  'PrimaryTaxIdentifier', 'SecondaryTaxIdentifier', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'TaxExemptionReasonId',
  'ARAccountRef', 'CustomerTypeRef', 'OpenBalanceDate', 'Source',
] as const;

const READ_ONLY = ['Balance', 'BalanceWithJobs', 'FullyQualifiedName', 'Level', 'CurrencyRef', 'V4IDPseudonym', 'IsProject', 'ClientEntityId'];

export const CUSTOMER_PROPERTIES: ReadonlySet<string> = new Set([
  'Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'DisplayName', 'PrintOnCheckName', 'Active', 'Job', 'ParentRef',
  'BillWithParent', 'Taxable', 'PreferredDeliveryMethod', 'DefaultTaxCodeRef', ...WRITABLE, ...READ_ONLY,
]);

const DELIVERY_METHODS = ['Print', 'Email', 'None'];

/** QBO allows the top level plus four levels of sub-customers. */
const MAX_LEVEL = 4;

export const customerService: EntityService = {
  entity: 'Customer',
  known: CUSTOMER_PROPERTIES,
  build(ctx, incoming, prev) {
    checkPersonFields('Customer', incoming);
    const active = optionalBoolean('Customer', incoming, 'Active') ?? true;
    const given = optionalString('Customer', incoming, 'DisplayName') ?? derivedDisplayName(incoming);
    if (given === undefined || given.trim() === '') throw faults.requiredMissing('DisplayName');
    const displayName = nameForActiveState(given.trim(), active, prev);
    assertDisplayNameFree(ctx, displayName, prev ? { entity: 'Customer', id: prev.id } : undefined);

    const out: QboObject = {};
    const us = ctx.company.country === 'US';
    const taxable = optionalBoolean('Customer', incoming, 'Taxable') ?? (us ? true : undefined);
    if (taxable !== undefined) out['Taxable'] = taxable;
    copyPresent(incoming, out, ['BillAddr', 'ShipAddr']);
    const parent = parentOf(ctx, incoming, prev);
    out['Job'] = parent !== undefined;
    const billWithParent = optionalBoolean('Customer', incoming, 'BillWithParent') ?? false;
    if (billWithParent && parent === undefined) throw faults.business('BillWithParent is only allowed for sub-customers', 'BillWithParent');
    out['BillWithParent'] = billWithParent;
    if (parent) {
      out['ParentRef'] = { value: parent.id };
      out['Level'] = parent.level + 1;
    }
    out['Balance'] = prev?.object['Balance'] ?? 0;
    out['BalanceWithJobs'] = prev?.object['BalanceWithJobs'] ?? 0;
    out['CurrencyRef'] = currencyOf(ctx.company.country);
    const delivery = optionalString('Customer', incoming, 'PreferredDeliveryMethod') ?? 'Print';
    if (!DELIVERY_METHODS.includes(delivery)) throw faults.invalidEnumeration('PreferredDeliveryMethod', delivery);
    out['PreferredDeliveryMethod'] = delivery;
    copyPresent(incoming, out, WRITABLE.filter((k) => k !== 'BillAddr' && k !== 'ShipAddr'));
    out['FullyQualifiedName'] = parent ? `${parent.fullyQualifiedName}:${displayName}` : displayName;
    out['DisplayName'] = displayName;
    const company = optionalString('Customer', incoming, 'CompanyName');
    out['PrintOnCheckName'] = optionalString('Customer', incoming, 'PrintOnCheckName') ?? company ?? baseName(displayName);
    out['Active'] = active;
    const taxCode = optionalRef('Customer', incoming, 'DefaultTaxCodeRef') ?? (us && taxable ? '2' : undefined);
    if (taxCode !== undefined) {
      activeRef(ctx, 'TaxCode', taxCode, 'DefaultTaxCodeRef');
      out['DefaultTaxCodeRef'] = { value: taxCode };
    }
    const term = optionalRef('Customer', incoming, 'SalesTermRef');
    if (term !== undefined) activeRef(ctx, 'Term', term, 'SalesTermRef');
    const method = optionalRef('Customer', incoming, 'PaymentMethodRef');
    if (method !== undefined) activeRef(ctx, 'PaymentMethod', method, 'PaymentMethodRef');
    withAddressIds(ctx, out, prev?.object);
    return out;
  },
  afterWrite(ctx, saved, prev) {
    if (prev && prev['FullyQualifiedName'] !== saved['FullyQualifiedName']) renameDescendants(ctx, String(saved['Id']), String(saved['FullyQualifiedName']), Number(saved['Level'] ?? 0));
  },
};

interface ParentInfo {
  id: string;
  level: number;
  fullyQualifiedName: string;
}

function parentOf(ctx: ApiContext, incoming: QboObject, prev: StoredRecord | undefined): ParentInfo | undefined {
  const job = optionalBoolean('Customer', incoming, 'Job');
  const parentId = optionalRef('Customer', incoming, 'ParentRef');
  if (parentId === undefined) {
    if (job === true) throw faults.parentRequired();
    return undefined;
  }
  const parent = activeRef(ctx, 'Customer', parentId, 'ParentRef');
  if (prev && isSelfOrDescendant(ctx, parentId, prev.id)) throw faults.business('A customer cannot be its own parent or sub-customer', 'ParentRef');
  const level = Number(parent['Level'] ?? 0);
  if (level >= MAX_LEVEL) throw faults.business('Sub-customers can only be nested 5 levels deep', 'ParentRef');
  return { id: parentId, level, fullyQualifiedName: String(parent['FullyQualifiedName'] ?? parent['DisplayName']) };
}

function isSelfOrDescendant(ctx: ApiContext, candidateId: string, selfId: string): boolean {
  let current: string | undefined = candidateId;
  for (let depth = 0; current !== undefined && depth <= MAX_LEVEL + 1; depth += 1) {
    if (current === selfId) return true;
    const parentRef: unknown = ctx.store.get(ctx.realmId, 'Customer', current)?.object['ParentRef'];
    current = typeof parentRef === 'object' && parentRef !== null && 'value' in parentRef ? String(parentRef.value) : undefined;
  }
  return false;
}

/** A renamed parent renames its sub-customers' FullyQualifiedName (QBO keeps them in step). */
function renameDescendants(ctx: ApiContext, parentId: string, parentFqn: string, parentLevel: number): void {
  for (const child of ctx.store.indexed(ctx.realmId, 'parent', parentId)) {
    const updated = { ...child.object, FullyQualifiedName: `${parentFqn}:${String(child.object['DisplayName'])}`, Level: parentLevel + 1 };
    ctx.store.put(ctx.realmId, 'Customer', updated);
    renameDescendants(ctx, child.id, String(updated.FullyQualifiedName), parentLevel + 1);
  }
}
