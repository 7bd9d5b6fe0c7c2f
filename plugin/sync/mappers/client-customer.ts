/**
 * Work client ⇄ QBO (top-level) customer (SPEC §2; issue 8 "Mapping and QuickBooks' rules").
 *
 *   companyName        ⇄ CompanyName (≤ 100, cut with a warning) and DisplayName (chosen by the caller:
 *                        unique, ≤ 500, see qbo-name-rules chooseDisplayName)
 *   firstName/lastName ⇄ GivenName/FamilyName
 *   email              ⇄ PrimaryEmailAddr.Address (an address QBO would refuse is not sent, warned)
 *   phone              ⇄ PrimaryPhone.FreeFormNumber
 *   billingAddress     ⇄ BillAddr (Line1, Line2, City, CountrySubDivisionCode, PostalCode, Country)
 *   notes              ⇄ Notes (line breaks kept)
 *   active             ⇄ Active
 *
 * Both snapshots hold values in the form QBO can store (same cleaning on both sides), so a Work value and
 * the QBO value it became are equal: no false change, no echo. DisplayName is not in the snapshot: it is
 * derived (and may carry a suffix), so reading it back would look like a rename.
 * A QBO customer with no CompanyName, no GivenName/FamilyName and no email reads its DisplayName as the company name,
 * so an imported client is never nameless (matching still uses CompanyName only; see plan/match.ts).
 * The "default state and country" setting fills a QBO address that has street parts but no state/country.
 */
import type { NewWorkClient, PostalAddress } from '../../host/work-records';
import type { CustomerInput } from '../../qbo/entities/inputs';
import type { ClientField, ClientSnapshot, MappingSettings, QboCustomer, WorkClient } from '../plan/types';
import { DEFAULT_MAPPING_SETTINGS } from '../plan/types';
import { cleanAddress, cleanEmail, cleanPhone, cleanQboName, cleanQboText, collect, fromQboAddress, QBO_LIMITS, toAddressInput, withDefaults, type CleanedAddress } from './field-cleaning';
import type { NameWarning, PreparedSnapshot } from './mapper-types';

export const CLIENT_FIELDS: readonly ClientField[] = [
  'companyName', 'firstName', 'lastName', 'email', 'phone',
  'billLine1', 'billLine2', 'billCity', 'billState', 'billPostalCode', 'billCountry',
  'notes', 'active',
];

const BILL_FIELDS: readonly ClientField[] = ['billLine1', 'billLine2', 'billCity', 'billState', 'billPostalCode', 'billCountry'];

interface ClientLike {
  companyName: string | null | undefined;
  firstName: string | null | undefined;
  lastName: string | null | undefined;
  email: string | null | undefined;
  phone: string | null | undefined;
  address: CleanedAddress;
  notes: string | null | undefined;
  active: boolean;
}

function build(c: ClientLike, warnings: NameWarning[]): ClientSnapshot {
  return {
    companyName: collect(warnings, cleanQboName(c.companyName, 'CompanyName')),
    firstName: collect(warnings, cleanQboName(c.firstName, 'GivenName')),
    lastName: collect(warnings, cleanQboName(c.lastName, 'FamilyName')),
    email: cleanEmail(c.email, warnings),
    phone: cleanPhone(c.phone, 'PrimaryPhone', warnings),
    billLine1: c.address.line1,
    billLine2: c.address.line2,
    billCity: c.address.city,
    billState: c.address.state,
    billPostalCode: c.address.postalCode,
    billCountry: c.address.country,
    notes: collect(warnings, cleanQboText(c.notes, 'Notes', QBO_LIMITS.Notes, true)),
    active: c.active,
  };
}

/** A Work client's synced fields as QBO will hold them, with a warning for every fix. */
export function prepareClientSnapshot(client: WorkClient): PreparedSnapshot<ClientSnapshot> {
  const warnings: NameWarning[] = [];
  const address = cleanAddress(client.billingAddress, 'BillAddr', warnings);
  const snapshot = build({ ...client, address }, warnings);
  return { snapshot, warnings };
}

export function clientSnapshot(client: WorkClient): ClientSnapshot {
  return prepareClientSnapshot(client).snapshot;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** A QBO customer's synced fields, with the default state/country setting applied. */
export function customerSnapshot(customer: QboCustomer, settings: MappingSettings = DEFAULT_MAPPING_SETTINGS): ClientSnapshot {
  const ignored: NameWarning[] = [];
  const email = cleanEmail(customer.PrimaryEmailAddr?.Address, ignored);
  // Mirrors displayNameForClient: only a customer whose DisplayName cannot have come from a person name or an
  // email reads it as the company name; otherwise a pushed client would read back as renamed.
  const nameless = isBlank(customer.CompanyName) && isBlank(customer.GivenName) && isBlank(customer.FamilyName) && email === null;
  const address = withDefaults(cleanAddress(fromQboAddress(customer.BillAddr), 'BillAddr', ignored), settings);
  return build(
    {
      companyName: nameless ? customer.DisplayName : customer.CompanyName,
      firstName: customer.GivenName,
      lastName: customer.FamilyName,
      email: customer.PrimaryEmailAddr?.Address,
      phone: customer.PrimaryPhone?.FreeFormNumber,
      address,
      notes: customer.Notes,
      active: customer.Active !== false,
    },
    ignored,
  );
}

function billAddress(s: ClientSnapshot): CleanedAddress {
  return { line1: s.billLine1, line2: s.billLine2, city: s.billCity, state: s.billState, postalCode: s.billPostalCode, country: s.billCountry };
}

/**
 * Body fragment for QBO. Without `fields`: a create body (blank fields left out). With `fields`: a sparse
 * update of just those fields, a blank one sent as "" to clear it; any address part sends the whole BillAddr.
 * `names.displayName` (already chosen and unique) is added when given.
 */
export function snapshotToCustomerBody(snapshot: ClientSnapshot, names: { displayName?: string } = {}, fields?: readonly ClientField[]): Partial<CustomerInput> {
  const update = fields !== undefined;
  const wanted = new Set(fields ?? CLIENT_FIELDS);
  const body: Partial<CustomerInput> = {};
  const text = (field: ClientField, value: string | null, set: (v: string) => void): void => {
    if (!wanted.has(field)) return;
    if (value !== null) set(value);
    else if (update) set('');
  };
  if (names.displayName !== undefined) body.DisplayName = names.displayName;
  text('companyName', snapshot.companyName, (v) => (body.CompanyName = v));
  text('firstName', snapshot.firstName, (v) => (body.GivenName = v));
  text('lastName', snapshot.lastName, (v) => (body.FamilyName = v));
  text('email', snapshot.email, (v) => (body.PrimaryEmailAddr = { Address: v }));
  text('phone', snapshot.phone, (v) => (body.PrimaryPhone = { FreeFormNumber: v }));
  text('notes', snapshot.notes, (v) => (body.Notes = v));
  if (BILL_FIELDS.some((f) => wanted.has(f))) {
    const addr = toAddressInput(billAddress(snapshot), update);
    if (Object.keys(addr).length > 0) body.BillAddr = addr;
  }
  if (wanted.has('active')) body.Active = snapshot.active;
  return body;
}

/** A whole create body for a new QBO customer. */
export function snapshotToCustomerCreate(snapshot: ClientSnapshot, displayName: string): CustomerInput {
  return { ...snapshotToCustomerBody(snapshot, {}), DisplayName: displayName };
}

function toPostalAddress(s: ClientSnapshot): PostalAddress {
  return { line1: s.billLine1, line2: s.billLine2, city: s.billCity, state: s.billState, postalCode: s.billPostalCode, country: s.billCountry };
}

/** A patch for Work's client port: just `fields` (all by default); any address part writes the whole address. */
export function snapshotToClientPatch(snapshot: ClientSnapshot, fields: readonly ClientField[] = CLIENT_FIELDS): Partial<NewWorkClient> {
  const wanted = new Set(fields);
  const patch: Partial<NewWorkClient> = {};
  if (wanted.has('companyName')) patch.companyName = snapshot.companyName;
  if (wanted.has('firstName')) patch.firstName = snapshot.firstName;
  if (wanted.has('lastName')) patch.lastName = snapshot.lastName;
  if (wanted.has('email')) patch.email = snapshot.email;
  if (wanted.has('phone')) patch.phone = snapshot.phone;
  if (BILL_FIELDS.some((f) => wanted.has(f))) patch.billingAddress = toPostalAddress(snapshot);
  if (wanted.has('notes')) patch.notes = snapshot.notes;
  if (wanted.has('active')) patch.active = snapshot.active;
  return patch;
}

/** A new Work client from a snapshot (onboarding import of an active QBO customer). */
export function snapshotToNewClient(snapshot: ClientSnapshot): NewWorkClient {
  return {
    companyName: snapshot.companyName,
    firstName: snapshot.firstName,
    lastName: snapshot.lastName,
    email: snapshot.email,
    phone: snapshot.phone,
    billingAddress: toPostalAddress(snapshot),
    notes: snapshot.notes,
    active: snapshot.active,
  };
}
