/**
 * QuickBooks' rules for names and text fields, applied before anything is sent (QBO-FACTS "Customer";
 * SPEC §2 "QBO rules are respected before sending ... never fail silently"). Every fix returns a warning
 * (stable code + plain detail) for the log; nothing is dropped without one.
 *
 * - Names (DisplayName, CompanyName, GivenName, MiddleName, FamilyName, Title, Suffix, PrintOnCheckName):
 *   a colon becomes "-" and a tab, newline or line separator becomes a space (QBO 2040); NUL and other
 *   control characters are removed; the text is NFC and trimmed; it is cut to QBO's length on a code-point
 *   boundary (QBO 2050), never inside an emoji's surrogate pair.
 * - Other text (phone, address parts, notes): control characters removed (notes keep line breaks and tabs),
 *   cut to QBO's length.
 * - DisplayName is one namespace across customers (active and inactive), vendors and employees. QBO compares
 *   it case-insensitively (the sandbox does, per its README), and an inactive record's name still blocks
 *   without QBO's " (deleted)" suffix. We compare NFC + trimmed + lower-cased, so we never send a name QBO
 *   would refuse. A taken name gets the lowest free " (n)" suffix, n ≥ 2: stable for the same inputs.
 */
import { stripUnsafeCharacters, type TextMode } from '../text-safety';
import type { NameWarning, TakenNameKind, WarningCode } from './types';

export const QBO_LIMITS = {
  DisplayName: 500,
  CompanyName: 100,
  GivenName: 100,
  MiddleName: 100,
  FamilyName: 100,
  Title: 16,
  Suffix: 16,
  PrintOnCheckName: 110,
  Notes: 2000,
  Phone: 30,
  Email: 100,
  AddressLine: 500,
  City: 255,
  CountrySubDivisionCode: 255,
  Country: 255,
  PostalCode: 30,
} as const;

export type QboNameField = 'DisplayName' | 'CompanyName' | 'GivenName' | 'MiddleName' | 'FamilyName' | 'Title' | 'Suffix' | 'PrintOnCheckName';

export interface CleanedText {
  /** Null when nothing usable is left. */
  value: string | null;
  warnings: NameWarning[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const NAME_BREAKS = /[\t\n\r\v\f\u0085\u2028\u2029]+/gu;
const CONTROL = /\p{Cc}/gu;
const HAS_CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_TAB_AND_NEWLINE = /(?![\t\n])\p{Cc}/gu;
const HAS_CONTROL_EXCEPT_TAB_AND_NEWLINE = /(?![\t\n])\p{Cc}/u;
const HAS_NAME_FORBIDDEN = /[:\t\n\r\v\f\u0085\u2028\u2029]/u;

function warn(code: WarningCode, field: string, detail: string): NameWarning {
  return { code, field, detail };
}

/** Quote a value for a log detail: short, one line, no control characters. */
export function quoteForLog(value: string, max = 60): string {
  const flat = stripUnsafeCharacters(value.replace(CONTROL, ' '), 'single-line').text;
  const points = Array.from(flat);
  return JSON.stringify(points.length > max ? `${points.slice(0, max).join('')}…` : flat);
}

/** Cut to `max` code points (never splitting a surrogate pair); trailing spaces left by the cut go too. */
export function cutToLength(value: string, max: number): string {
  const points = Array.from(value);
  return points.length <= max ? value : points.slice(0, max).join('').trimEnd();
}

/**
 * The last step of every cleaning: text-safety's rule for what neither QuickBooks (XML 1.0) nor PostgreSQL
 * takes (it also catches U+FFFE/U+FFFF, which are not control characters). Warned once per field.
 */
function safeText(field: string, original: string, text: string, mode: TextMode, warnings: NameWarning[]): string {
  const safe = stripUnsafeCharacters(text, mode);
  if (safe.removed > 0 && !warnings.some((w) => w.code === 'control_characters')) {
    warnings.push(warn('control_characters', field, `Invisible control characters were removed from ${field} ${quoteForLog(original)}.`));
  }
  return safe.text;
}

function finish(field: string, original: string, text: string, max: number, warnings: NameWarning[], mode: TextMode = 'single-line'): CleanedText {
  const trimmed = safeText(field, original, text, mode, warnings).trim();
  const cut = cutToLength(trimmed, max);
  if (cut !== trimmed) {
    warnings.push(warn('too_long', field, `${field} is ${Array.from(trimmed).length} characters; QuickBooks allows ${max}, so it was cut to ${quoteForLog(cut)} (was ${quoteForLog(original)}).`));
  }
  return { value: cut === '' ? null : cut, warnings };
}

/** A name field made acceptable to QBO: no colon, tab, newline or control character; within its length. */
export function cleanQboName(value: string | null | undefined, field: QboNameField): CleanedText {
  if (value === null || value === undefined) return { value: null, warnings: [] };
  const warnings: NameWarning[] = [];
  let text = value.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
  if (HAS_NAME_FORBIDDEN.test(text)) {
    text = text.replace(/:/gu, '-').replace(NAME_BREAKS, ' ');
    warnings.push(warn('forbidden_characters', field, `QuickBooks does not allow a colon, tab or line break in ${field}: colons became "-" and breaks became spaces in ${quoteForLog(value)}.`));
  }
  if (HAS_CONTROL.test(text)) {
    text = text.replace(CONTROL, '');
    warnings.push(warn('control_characters', field, `Invisible control characters were removed from ${field} ${quoteForLog(value)}.`));
  }
  return finish(field, value, text, QBO_LIMITS[field], warnings);
}

/** Any other text field: control characters removed (line breaks kept when allowed), cut to `max`. */
export function cleanQboText(value: string | null | undefined, field: string, max: number, keepLineBreaks = false): CleanedText {
  if (value === null || value === undefined) return { value: null, warnings: [] };
  const warnings: NameWarning[] = [];
  let text = value.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
  if (keepLineBreaks) text = text.replace(/\r\n?/gu, '\n');
  if ((keepLineBreaks ? HAS_CONTROL_EXCEPT_TAB_AND_NEWLINE : HAS_CONTROL).test(text)) {
    text = keepLineBreaks ? text.replace(CONTROL_EXCEPT_TAB_AND_NEWLINE, '') : text.replace(NAME_BREAKS, ' ').replace(CONTROL, '');
    warnings.push(warn('control_characters', field, `Invisible control characters were removed from ${field} ${quoteForLog(value)}.`));
  }
  return finish(field, value, text, max, warnings, keepLineBreaks ? 'multi-line' : 'single-line');
}

/** QBO wants an @ and a dot in the domain part, no spaces, at most 100 characters (2210, 2050). */
export function isQboEmail(address: string): boolean {
  return Array.from(address).length <= QBO_LIMITS.Email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(address);
}

/** An email as QBO will take it: trimmed; an unacceptable one is not sent (null) and warned about. */
export function cleanQboEmail(value: string | null | undefined, field = 'PrimaryEmailAddr'): CleanedText {
  const trimmed = stripUnsafeCharacters((value ?? '').replace(CONTROL, ''), 'single-line').text.trim();
  if (trimmed === '') return { value: null, warnings: [] };
  if (isQboEmail(trimmed)) return { value: trimmed, warnings: [] };
  return { value: null, warnings: [warn('invalid_email', field, `The email ${quoteForLog(trimmed)} is not one QuickBooks accepts (it needs an @ and a dot, at most 100 characters), so it was not sent.`)] };
}

// ---------------------------------------------------------------- DisplayName for a client

export interface ClientNameParts {
  companyName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface WantedDisplayName {
  /** Null: nothing usable ("blocked: blank name"). */
  name: string | null;
  source: 'company' | 'person' | 'email' | 'none';
  warnings: NameWarning[];
}

/** Company name; else first + last name; else a valid email; else nothing (the record is blocked: blank name). */
export function displayNameForClient(parts: ClientNameParts): WantedDisplayName {
  const company = cleanQboName(parts.companyName, 'DisplayName');
  if (company.value !== null) return { name: company.value, source: 'company', warnings: company.warnings };
  const person = cleanQboName([parts.firstName, parts.lastName].map((p) => (p ?? '').trim()).filter((p) => p !== '').join(' '), 'DisplayName');
  if (person.value !== null) {
    return { name: person.value, source: 'person', warnings: [...person.warnings, warn('name_from_person', 'DisplayName', `No company name, so the QuickBooks name is the person's name ${quoteForLog(person.value)}.`)] };
  }
  // Only an email QBO accepts: an invalid one is not sent, so it cannot name the record either.
  const email = cleanQboName(cleanQboEmail(parts.email).value, 'DisplayName');
  if (email.value !== null) {
    return { name: email.value, source: 'email', warnings: [...email.warnings, warn('name_from_email', 'DisplayName', `No company or person name, so the QuickBooks name is the email ${quoteForLog(email.value)}.`)] };
  }
  return { name: null, source: 'none', warnings: [] };
}

// ---------------------------------------------------------------- the DisplayName namespace

export type NameOwnerKind = 'customer' | 'inactive_customer' | TakenNameKind;

export interface NameOwner {
  kind: NameOwnerKind;
  /** The QBO id when known (customers). */
  id?: string;
}

const DELETED_SUFFIX = ' (deleted)';

/** How QBO compares DisplayNames: case-insensitively (and we also ignore surrounding spaces, to be safe). */
export function displayNameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** The names in use in one QBO company. Reserve each chosen name so two creates never pick the same one. */
export class TakenNames {
  private readonly owners = new Map<string, NameOwner>();

  add(name: string, owner: NameOwner): void {
    for (const variant of name.endsWith(DELETED_SUFFIX) ? [name, name.slice(0, -DELETED_SUFFIX.length)] : [name]) {
      const key = displayNameKey(variant);
      // The first owner wins so the reason shown is stable: customers are added before vendors and employees.
      if (!this.owners.has(key)) this.owners.set(key, owner);
    }
  }

  ownerOf(name: string): NameOwner | undefined {
    return this.owners.get(displayNameKey(name));
  }

  has(name: string): boolean {
    return this.owners.has(displayNameKey(name));
  }
}

const OWNER_TEXT: Record<NameOwnerKind, string> = {
  customer: 'another customer',
  inactive_customer: 'an inactive customer',
  vendor: 'a vendor',
  employee: 'an employee',
};

export interface ChosenDisplayName {
  name: string;
  /** Who held the wanted name, when it was taken. */
  takenBy: NameOwner | null;
  warnings: NameWarning[];
}

/** The wanted name if free, else the lowest free "wanted (n)", n ≥ 2, cut so it stays within 500 characters. */
export function chooseDisplayName(wanted: string, taken: TakenNames): ChosenDisplayName {
  const owner = taken.ownerOf(wanted);
  if (owner === undefined) return { name: wanted, takenBy: null, warnings: [] };
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${cutToLength(wanted, QBO_LIMITS.DisplayName - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) {
      return {
        name: candidate,
        takenBy: owner,
        warnings: [warn('name_suffixed', 'DisplayName', `The name ${quoteForLog(wanted)} is already used in QuickBooks by ${OWNER_TEXT[owner.kind]}, so this record was sent as ${quoteForLog(candidate)}.`)],
      };
    }
  }
}
