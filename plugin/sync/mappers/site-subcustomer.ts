/**
 * Work site ⇄ QBO sub-customer (Job true, ParentRef = the client's customer, BillWithParent true).
 * Sites move at onboarding only (FAQ: continuous sync covers clients, not sites).
 *
 *   name        ⇄ DisplayName (cleaned, unique, suffixed by the caller when taken). CompanyName is NOT set on
 *                 a sub-customer: a site is not a company, and the company name belongs to the parent.
 *   contactName ⇄ GivenName (first word) + FamilyName (the rest), each ≤ 100; read back joined by a space.
 *   email       ⇄ PrimaryEmailAddr.Address;  phone ⇄ PrimaryPhone.FreeFormNumber
 *   address     ⇄ ShipAddr: the place the work is done. A job billed with its parent is billed at the
 *                 parent's BillAddr, so the site's own address is its service (shipping) address. Reading
 *                 from QBO, a sub-customer with an empty ShipAddr falls back to its BillAddr, which is where
 *                 QuickBooks users often type a job's address.
 *   active      ⇄ Active
 * Settings: "fill a sub-customer's missing details from its client" fills a blank contact, email, phone and
 * (only when the site has no address at all) the address from the client's snapshot; then the default
 * state/country applies to an address with street parts but no state/country.
 */
import type { NewWorkSite } from '../../host/work-records';
import type { CustomerInput } from '../../qbo/entities/inputs';
import type { ClientSnapshot, MappingSettings, QboCustomer, SiteField, SiteSnapshot, WorkSite } from '../plan/types';
import { DEFAULT_MAPPING_SETTINGS } from '../plan/types';
import { cleanAddress, cleanEmail, cleanPhone, cleanQboName, collect, fromQboAddress, isBlankAddress, toAddressInput, withDefaults, type CleanedAddress } from './field-cleaning';
import type { NameWarning, PreparedSnapshot } from './mapper-types';

export const SITE_FIELDS: readonly SiteField[] = ['name', 'contactName', 'email', 'phone', 'line1', 'line2', 'city', 'state', 'postalCode', 'country', 'active'];
const ADDRESS_FIELDS: readonly SiteField[] = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'];

/** Split a contact name for GivenName/FamilyName: first word, then the rest. */
export function splitContactName(contact: string | null, warnings: NameWarning[] = []): { given: string | null; family: string | null } {
  const flat = collect(warnings, cleanQboName(contact, 'DisplayName'));
  if (flat === null) return { given: null, family: null };
  const space = flat.search(/\s/u);
  const first = space < 0 ? flat : flat.slice(0, space);
  const rest = space < 0 ? null : flat.slice(space + 1);
  return { given: collect(warnings, cleanQboName(first, 'GivenName')), family: collect(warnings, cleanQboName(rest, 'FamilyName')) };
}

function joinContact(given: string | null | undefined, family: string | null | undefined): string | null {
  const joined = [given, family].map((p) => (p ?? '').trim()).filter((p) => p !== '').join(' ');
  return joined === '' ? null : joined;
}

function fromAddress(s: SiteSnapshot): CleanedAddress {
  return { line1: s.line1, line2: s.line2, city: s.city, state: s.state, postalCode: s.postalCode, country: s.country };
}

function withAddress(s: Omit<SiteSnapshot, 'line1' | 'line2' | 'city' | 'state' | 'postalCode' | 'country'>, a: CleanedAddress): SiteSnapshot {
  return { ...s, line1: a.line1, line2: a.line2, city: a.city, state: a.state, postalCode: a.postalCode, country: a.country };
}

/** A Work site's synced fields as QBO will hold them, with a warning for every fix. */
export function prepareSiteSnapshot(site: WorkSite): PreparedSnapshot<SiteSnapshot> {
  const warnings: NameWarning[] = [];
  const name = collect(warnings, cleanQboName(site.name, 'DisplayName'));
  const contact = splitContactName(site.contactName, warnings);
  const snapshot = withAddress(
    { name, contactName: joinContact(contact.given, contact.family), email: cleanEmail(site.email, warnings), phone: cleanPhone(site.phone, 'PrimaryPhone', warnings), active: site.active },
    cleanAddress(site.address, 'ShipAddr', warnings),
  );
  return { snapshot, warnings };
}

export function siteSnapshot(site: WorkSite): SiteSnapshot {
  return prepareSiteSnapshot(site).snapshot;
}

/** The "fill a sub-customer's missing details from its client" setting, as a pure step. */
export function fillSiteFromClient(site: SiteSnapshot, client: ClientSnapshot): SiteSnapshot {
  const address = fromAddress(site);
  const clientAddress: CleanedAddress = { line1: client.billLine1, line2: client.billLine2, city: client.billCity, state: client.billState, postalCode: client.billPostalCode, country: client.billCountry };
  return withAddress(
    {
      name: site.name,
      contactName: site.contactName ?? joinContact(client.firstName, client.lastName),
      email: site.email ?? client.email,
      phone: site.phone ?? client.phone,
      active: site.active,
    },
    isBlankAddress(address) ? clientAddress : address,
  );
}

/** A QBO sub-customer's synced fields; settings fill blanks from `parent` and apply the default state/country. */
export function subCustomerSnapshot(subCustomer: QboCustomer, settings: MappingSettings = DEFAULT_MAPPING_SETTINGS, parent: ClientSnapshot | null = null): SiteSnapshot {
  const ignored: NameWarning[] = [];
  const ship = cleanAddress(fromQboAddress(subCustomer.ShipAddr), 'ShipAddr', ignored);
  const address = isBlankAddress(ship) ? cleanAddress(fromQboAddress(subCustomer.BillAddr), 'BillAddr', ignored) : ship;
  const contact = splitContactName(joinContact(subCustomer.GivenName, subCustomer.FamilyName), ignored);
  let snapshot = withAddress(
    {
      name: collect(ignored, cleanQboName(subCustomer.DisplayName, 'DisplayName')),
      contactName: joinContact(contact.given, contact.family),
      email: cleanEmail(subCustomer.PrimaryEmailAddr?.Address, ignored),
      phone: cleanPhone(subCustomer.PrimaryPhone?.FreeFormNumber, 'PrimaryPhone', ignored),
      active: subCustomer.Active !== false,
    },
    address,
  );
  if (settings.fillSiteFromClient && parent !== null) snapshot = fillSiteFromClient(snapshot, parent);
  return withAddress(snapshot, withDefaults(fromAddress(snapshot), settings));
}

export interface SubCustomerNames {
  /** Already chosen and unique (qbo-name-rules chooseDisplayName). */
  displayName?: string;
  /** The parent customer's QBO id. */
  parentQboId?: string;
}

/**
 * Body fragment for a QBO sub-customer. Without `fields`: a create body (Job, ParentRef, BillWithParent, blanks
 * left out). With `fields`: a sparse update of those fields, blanks sent as "" to clear them.
 */
export function siteSnapshotToSubCustomerBody(snapshot: SiteSnapshot, names: SubCustomerNames = {}, fields?: readonly SiteField[]): Partial<CustomerInput> {
  const update = fields !== undefined;
  const wanted = new Set(fields ?? SITE_FIELDS);
  const body: Partial<CustomerInput> = {};
  if (names.displayName !== undefined) body.DisplayName = names.displayName;
  if (!update) body.Job = true;
  if (names.parentQboId !== undefined) {
    body.Job = true;
    body.ParentRef = { value: names.parentQboId };
    body.BillWithParent = true;
  }
  if (wanted.has('contactName')) {
    const { given, family } = splitContactName(snapshot.contactName);
    if (given !== null || update) body.GivenName = given ?? '';
    if (family !== null || update) body.FamilyName = family ?? '';
  }
  if (wanted.has('email') && (snapshot.email !== null || update)) body.PrimaryEmailAddr = { Address: snapshot.email ?? '' };
  if (wanted.has('phone') && (snapshot.phone !== null || update)) body.PrimaryPhone = { FreeFormNumber: snapshot.phone ?? '' };
  if (ADDRESS_FIELDS.some((f) => wanted.has(f))) {
    const addr = toAddressInput(fromAddress(snapshot), update);
    if (Object.keys(addr).length > 0) body.ShipAddr = addr;
  }
  if (wanted.has('active')) body.Active = snapshot.active;
  return body;
}

/** A whole create body for a new sub-customer under `parentQboId`. */
export function siteSnapshotToSubCustomerCreate(snapshot: SiteSnapshot, displayName: string, parentQboId: string): CustomerInput {
  return { ...siteSnapshotToSubCustomerBody(snapshot, { parentQboId }), DisplayName: displayName };
}

function toNewSite(s: SiteSnapshot): Omit<NewWorkSite, 'clientId'> {
  return {
    name: s.name ?? '',
    contactName: s.contactName,
    email: s.email,
    phone: s.phone,
    address: { line1: s.line1, line2: s.line2, city: s.city, state: s.state, postalCode: s.postalCode, country: s.country },
    active: s.active,
  };
}

/** A patch for Work's site port: just `fields` (all by default); any address part writes the whole address. */
export function snapshotToSitePatch(snapshot: SiteSnapshot, fields: readonly SiteField[] = SITE_FIELDS): Partial<Omit<NewWorkSite, 'clientId'>> {
  const full = toNewSite(snapshot);
  const wanted = new Set(fields);
  const patch: Partial<Omit<NewWorkSite, 'clientId'>> = {};
  if (wanted.has('name') && snapshot.name !== null) patch.name = full.name;
  if (wanted.has('contactName')) patch.contactName = full.contactName;
  if (wanted.has('email')) patch.email = full.email;
  if (wanted.has('phone')) patch.phone = full.phone;
  if (ADDRESS_FIELDS.some((f) => wanted.has(f))) patch.address = full.address;
  if (wanted.has('active')) patch.active = full.active;
  return patch;
}

/** A new Work site (without clientId, which the site port takes apart) from a snapshot. */
export function snapshotToNewSite(snapshot: SiteSnapshot): Omit<NewWorkSite, 'clientId'> {
  return toNewSite(snapshot);
}
