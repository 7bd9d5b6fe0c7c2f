/**
 * Shared cleaning of the synced text fields: both sides' values go through the same rules, so a Work
 * value and the QBO value it became compare equal (no false "change" from a cut or a replaced colon).
 */
import { QBO_LIMITS, cleanQboEmail, cleanQboName, cleanQboText, type CleanedText } from '../plan/qbo-name-rules';
import type { NameWarning, PostalAddressLike } from './mapper-types';
import type { AddressInput } from '../../qbo/entities/inputs';

export interface CleanedAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export function collect(warnings: NameWarning[], cleaned: CleanedText): string | null {
  warnings.push(...cleaned.warnings);
  return cleaned.value;
}

export function cleanAddress(address: PostalAddressLike | null | undefined, prefix: string, warnings: NameWarning[]): CleanedAddress {
  const a = address ?? {};
  return {
    line1: collect(warnings, cleanQboText(a.line1, `${prefix}.Line1`, QBO_LIMITS.AddressLine)),
    line2: collect(warnings, cleanQboText(a.line2, `${prefix}.Line2`, QBO_LIMITS.AddressLine)),
    city: collect(warnings, cleanQboText(a.city, `${prefix}.City`, QBO_LIMITS.City)),
    state: collect(warnings, cleanQboText(a.state, `${prefix}.CountrySubDivisionCode`, QBO_LIMITS.CountrySubDivisionCode)),
    postalCode: collect(warnings, cleanQboText(a.postalCode, `${prefix}.PostalCode`, QBO_LIMITS.PostalCode)),
    country: collect(warnings, cleanQboText(a.country, `${prefix}.Country`, QBO_LIMITS.Country)),
  };
}

export function fromQboAddress(addr: { Line1?: string | undefined; Line2?: string | undefined; City?: string | undefined; CountrySubDivisionCode?: string | undefined; PostalCode?: string | undefined; Country?: string | undefined } | undefined): PostalAddressLike {
  return {
    line1: addr?.Line1 ?? null,
    line2: addr?.Line2 ?? null,
    city: addr?.City ?? null,
    state: addr?.CountrySubDivisionCode ?? null,
    postalCode: addr?.PostalCode ?? null,
    country: addr?.Country ?? null,
  };
}

export function hasStreetPart(a: CleanedAddress): boolean {
  return a.line1 !== null || a.line2 !== null || a.city !== null || a.postalCode !== null;
}

export function isBlankAddress(a: CleanedAddress): boolean {
  return !hasStreetPart(a) && a.state === null && a.country === null;
}

/** The "default state and country when QBO has none" setting: only for an address that has street parts. */
export function withDefaults(a: CleanedAddress, defaults: { defaultState: string | null; defaultCountry: string | null }): CleanedAddress {
  if (!hasStreetPart(a)) return a;
  const state = a.state ?? cleanQboText(defaults.defaultState, 'state', QBO_LIMITS.CountrySubDivisionCode).value;
  const country = a.country ?? cleanQboText(defaults.defaultCountry, 'country', QBO_LIMITS.Country).value;
  return { ...a, state, country };
}

/** An AddressInput: blanks omitted (create) or sent as "" to clear them (sparse update). */
export function toAddressInput(a: CleanedAddress, clearBlanks: boolean): AddressInput {
  const out: AddressInput = {};
  const put = (key: keyof AddressInput, value: string | null): void => {
    if (value !== null) out[key] = value;
    else if (clearBlanks) out[key] = '';
  };
  put('Line1', a.line1);
  put('Line2', a.line2);
  put('City', a.city);
  put('CountrySubDivisionCode', a.state);
  put('PostalCode', a.postalCode);
  put('Country', a.country);
  return out;
}

export function cleanPhone(value: string | null | undefined, field: string, warnings: NameWarning[]): string | null {
  return collect(warnings, cleanQboText(value, field, QBO_LIMITS.Phone));
}

export function cleanEmail(value: string | null | undefined, warnings: NameWarning[]): string | null {
  return collect(warnings, cleanQboEmail(value));
}

export { cleanQboName, cleanQboText, QBO_LIMITS };
