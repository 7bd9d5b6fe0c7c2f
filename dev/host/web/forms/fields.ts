import Decimal from 'decimal.js';
import { z } from 'zod';
import { messages } from '../messages';

/**
 * Field schemas for the stand-in's forms. Every field arrives as text (or not at all, when a checkbox is
 * unchecked or a client is hostile); anything that is not a single string counts as an empty field.
 */
// PostgreSQL cannot store a NUL character in text: refused here, beside the field, instead of a 500.
const rawText = z
  .string()
  .catch('')
  .refine((s) => !s.includes('\u0000'), messages.nulCharacter);

const MAX_TEXT = 500;
const DECIMAL_PATTERN = /^\d+(\.\d+)?$/;
const NEGATIVE_PATTERN = /^-\s*\d+(\.\d+)?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Large enough for any real amount, small enough for numeric(14, 4).
const MAX_INTEGER_DIGITS = 10;

export function requiredText(label: string, max = MAX_TEXT) {
  return rawText.pipe(z.string().trim().min(1, messages.required(label)).max(max, messages.tooLong(label, max)));
}

/** Blank → null. */
export function optionalText(label: string, max = MAX_TEXT) {
  return rawText.pipe(z.string().trim().max(max, messages.tooLong(label, max))).transform((s) => (s === '' ? null : s));
}

const emailCheck = z.email();

/** Blank → null; otherwise a valid address, stored as typed (trimmed). */
export const optionalEmail = rawText
  .pipe(z.string().trim().max(254, messages.emailInvalid))
  .refine((s) => s === '' || emailCheck.safeParse(s).success, messages.emailInvalid)
  .transform((s) => (s === '' ? null : s));

/** An unchecked checkbox sends nothing. */
export const checkbox = z.unknown().optional().transform((v) => v === 'on' || v === 'true' || v === '1');

/** A record id from a select; blank → null. Unknown or foreign ids are the model's business (404). */
export const optionalId = rawText.pipe(z.string().trim()).transform((s) => (s === '' ? null : s));
export const requiredId = (label: string) => rawText.pipe(z.string().trim().min(1, messages.required(label)));

export interface DecimalRule {
  label: string;
  maxDecimals: number;
  /** 'positive': > 0; 'nonNegative': ≥ 0 (no minus sign is accepted anyway). */
  sign: 'positive' | 'nonNegative';
  /** Exclusive upper bound, e.g. 100 for a percent. */
  below?: string;
  /** A blank field means this value (e.g. a tax rate of 0). */
  blankMeans?: string;
}

/** A decimal number as text, checked in order so the person sees the one problem that matters. */
export function decimalText(rule: DecimalRule) {
  return rawText.pipe(z.string().trim()).transform((input, ctx) => {
    const s = input === '' && rule.blankMeans !== undefined ? rule.blankMeans : input;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (s === '') return fail(messages.required(rule.label));
    // A minus sign is a clear mistake to name, not "not a number".
    if (NEGATIVE_PATTERN.test(s)) return fail(rule.sign === 'positive' ? messages.mustBePositive(rule.label) : messages.notNegative(rule.label));
    if (!DECIMAL_PATTERN.test(s)) return fail(messages.notANumber(rule.label));
    const [whole = '', fraction = ''] = s.split('.');
    if (fraction.length > rule.maxDecimals) return fail(messages.tooManyDecimals(rule.label, rule.maxDecimals));
    if (whole.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) return fail(messages.tooLarge(rule.label));
    const value = new Decimal(s);
    if (rule.sign === 'positive' && value.lte(0)) return fail(messages.mustBePositive(rule.label));
    if (rule.below !== undefined && value.gte(rule.below)) return fail(messages.mustBeBelow(rule.label, rule.below));
    return s;
  });
}

/** True only for dates that exist: 2026-02-28 yes, 2026-02-30 no. */
export function isRealCalendarDate(s: string): boolean {
  const m = DATE_PATTERN.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && year <= 9999 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function checkDate(label: string, s: string, ctx: z.RefinementCtx): string {
  if (!DATE_PATTERN.test(s)) ctx.addIssue({ code: 'custom', message: messages.notADate(label) });
  else if (!isRealCalendarDate(s)) ctx.addIssue({ code: 'custom', message: messages.notARealDate(label, s) });
  return s;
}

export function requiredDate(label: string) {
  return rawText.pipe(z.string().trim().min(1, messages.required(label))).transform((s, ctx) => checkDate(label, s, ctx));
}

/** Blank → null. */
export function optionalDate(label: string) {
  return rawText.pipe(z.string().trim()).transform((s, ctx) => (s === '' ? null : checkDate(label, s, ctx)));
}

/** The first problem of each field, keyed by its path ("email", "lines.0.unitPrice"). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}
