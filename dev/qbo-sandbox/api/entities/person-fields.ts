/**
 * Field rules shared by customers, vendors and employees: lengths from QBO-FACTS (2050), no colon, tab or
 * newline in names (2040), e-mail shape (2210), and the one DisplayName namespace (6240).
 */
import type { EntityName, QboObject } from '../../contracts';
import { faults } from '../../faults';
import { baseName, nameKey, type IndexName } from '../../store/record-indexes';
import { DELETED_SUFFIX } from '../../store/stored-record';
import type { StoredRecord } from '../../store/stored-record';
import type { ApiContext } from '../api-context';
import { isObject, maxLength, noNameSeparators, optionalString, rejectUnknownProperties } from '../body-checks';

const NAME_FIELDS: Array<[string, number]> = [
  ['DisplayName', 500],
  ['Title', 16],
  ['GivenName', 100],
  ['MiddleName', 100],
  ['FamilyName', 100],
  ['Suffix', 16],
  ['CompanyName', 100],
  ['PrintOnCheckName', 110],
];
const PHONE_FIELDS = ['PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax'];
const PHONE_PROPERTIES = new Set(['FreeFormNumber', 'DeviceType', 'CountryCode', 'AreaCode', 'ExchangeCode', 'Extension', 'Default', 'Tag']);
const ADDRESS_FIELDS = ['BillAddr', 'ShipAddr', 'PrimaryAddr'];
const ADDRESS_PROPERTIES = new Set(['Id', 'Line1', 'Line2', 'Line3', 'Line4', 'Line5', 'City', 'Country', 'CountryCode', 'CountrySubDivisionCode', 'PostalCode', 'PostalCodeSuffix', 'Lat', 'Long', 'Tag', 'Note']);
const ADDRESS_LIMITS: Array<[string, number]> = [
  ['Line1', 500], ['Line2', 500], ['Line3', 500], ['Line4', 500], ['Line5', 500],
  ['City', 255], ['Country', 255], ['CountrySubDivisionCode', 255], ['PostalCode', 30],
];

export function checkPersonFields(entity: EntityName, body: QboObject): void {
  for (const [field, max] of NAME_FIELDS) {
    const value = optionalString(entity, body, field);
    maxLength(field, value, max);
    noNameSeparators(field, value);
  }
  maxLength('Notes', optionalString(entity, body, 'Notes'), 2000);
  for (const field of PHONE_FIELDS) {
    const phone = body[field];
    if (phone === undefined || phone === null) continue;
    if (!isObject(phone)) throw faults.unsupportedProperty(entity, field);
    rejectUnknownProperties('TelephoneNumber', phone, PHONE_PROPERTIES);
    maxLength(`${field}.FreeFormNumber`, optionalString(entity, phone, 'FreeFormNumber'), 30);
  }
  const email = body['PrimaryEmailAddr'];
  if (email !== undefined && email !== null) {
    if (!isObject(email)) throw faults.unsupportedProperty(entity, 'PrimaryEmailAddr');
    rejectUnknownProperties('EmailAddress', email, new Set(['Address', 'Default', 'Tag']));
    const address = optionalString(entity, email, 'Address');
    maxLength('PrimaryEmailAddr.Address', address, 100);
    if (address !== undefined && address !== '' && !isEmailShaped(address)) throw faults.invalidEmail('PrimaryEmailAddr.Address');
  }
  for (const field of ADDRESS_FIELDS) {
    const addr = body[field];
    if (addr === undefined || addr === null) continue;
    if (!isObject(addr)) throw faults.unsupportedProperty(entity, field);
    rejectUnknownProperties('PhysicalAddress', addr, ADDRESS_PROPERTIES);
    for (const [part, max] of ADDRESS_LIMITS) maxLength(`${field}.${part}`, optionalString(entity, addr, part), max);
  }
}

/** QBO wants an @ and a dot in the domain part, without spaces. */
export function isEmailShaped(address: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address);
}

/** DisplayName as QBO derives it when the request leaves it out. */
export function derivedDisplayName(body: QboObject): string | undefined {
  const given = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix']
    .map((k) => body[k])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .join(' ');
  if (given !== '') return given;
  const company = body['CompanyName'];
  return typeof company === 'string' && company.trim() !== '' ? company : undefined;
}

export { baseName };

/**
 * The stored name for an active flag: inactive names gain " (deleted)" (recorded for Account and
 * Employee); reactivating drops it again.
 */
export function nameForActiveState(name: string, active: boolean, prev: StoredRecord | undefined): string {
  if (!active) return `${baseName(name)}${DELETED_SUFFIX}`;
  if (prev && prev.object['Active'] === false) return baseName(name);
  return name;
}

/** Customers, vendors and employees share one DisplayName namespace; inactive records still hold theirs. */
export function assertDisplayNameFree(ctx: ApiContext, name: string, self: { entity: EntityName; id: string } | undefined): void {
  assertNameFree(ctx, 'displayName', name, self);
}

/**
 * 6240 when another record of the namespace holds the name (looked up in the store's name index, so the
 * check costs the same in a company of 50,000 names as in an empty one).
 */
export function assertNameFree(
  ctx: ApiContext,
  index: Extract<IndexName, 'displayName' | 'itemName' | 'accountName'>,
  name: string,
  self: { entity: EntityName; id: string } | undefined,
): void {
  const wanted = nameKey(baseName(name));
  for (const record of ctx.store.indexed(ctx.realmId, index, wanted)) {
    if (!(self && self.entity === record.entity && self.id === record.id)) throw faults.duplicateName();
  }
}

/** Copies the given keys that are present (not undefined/null) from one object to another. */
export function copyPresent(from: QboObject, to: QboObject, keys: readonly string[]): void {
  for (const key of keys) {
    const value = from[key];
    if (value !== undefined && value !== null) to[key] = structuredClone(value);
  }
}

/** Gives each address an Id, as QBO does, keeping the one it already has. */
export function withAddressIds(ctx: ApiContext, target: QboObject, prev: QboObject | undefined): void {
  for (const field of ADDRESS_FIELDS) {
    const addr = target[field];
    if (!isObject(addr)) continue;
    if (typeof addr['Id'] === 'string') continue;
    const prevAddr = prev?.[field];
    addr['Id'] = isObject(prevAddr) && typeof prevAddr['Id'] === 'string' ? prevAddr['Id'] : ctx.store.nextInSequence(ctx.realmId, 'PhysicalAddress');
  }
}
