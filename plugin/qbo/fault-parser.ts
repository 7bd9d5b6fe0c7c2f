import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import {
  QboAuthenticationError,
  QboAuthorizationError,
  QboBusinessError,
  QboDuplicateNameError,
  QboNotFoundError,
  QboServiceError,
  QboStaleObjectError,
  QboThrottledError,
  QboUnexpectedResponseError,
  QboValidationError,
  type QboError,
  type QboErrorInit,
  type QboFaultEntry,
} from './errors';
import { redactSecrets } from './redact';

/**
 * Turns any QuickBooks answer into a typed error, or null when it is a real success. QBO faults come as
 * JSON `Fault.Error[]` (400, and inside HTTP 200), lower-case `fault.error[]` (401/403), XML (429, 504,
 * OAuth1-era and some 500s) and per-item faults inside a 200 batch: every shape is checked, whatever the
 * status, because a 200 is not a success until its body says so.
 */

export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

export interface ParseFaultOptions {
  /** Strings to scrub from messages, e.g. the access token the request was sent with. */
  secrets?: readonly string[];
}

/** Fault codes this module decides on (Intuit's error-code list). */
export const FAULT_CODES = {
  notFound: 610,
  throttled: 3001,
  authorizationFailed: 3100,
  authenticationFailed: 3200,
  staleObject: 5010,
  gatewayTimeout: 6002,
  duplicateName: 6240,
  systemFailure: 10000,
} as const;

export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined || value === null) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return value[0] ?? null;
  }
  return null;
}

/** Retry-After as milliseconds (delta-seconds or HTTP date), or null. */
export function retryAfterMs(headers: ResponseHeaders, now: number = Date.now()): number | null {
  const raw = headerValue(headers, 'retry-after');
  if (raw === null) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const codeSchema = z.union([z.string(), z.number()]).transform(String);

const upperCaseFaultSchema = z.looseObject({
  Fault: z.looseObject({
    type: z.string().nullish(),
    Error: z
      .array(
        z.looseObject({
          Message: z.string().nullish(),
          Detail: z.string().nullish(),
          code: codeSchema.nullish(),
          element: z.string().nullish(),
        }),
      )
      .min(1),
  }),
});

const lowerCaseFaultSchema = z.looseObject({
  fault: z.looseObject({
    type: z.string().nullish(),
    error: z
      .array(
        z.looseObject({
          message: z.string().nullish(),
          detail: z.string().nullish(),
          code: codeSchema.nullish(),
          element: z.string().nullish(),
        }),
      )
      .min(1),
  }),
});

interface RawFault {
  type: string | null;
  entries: QboFaultEntry[];
}

function entry(code: string | null | undefined, element: string | null | undefined, message: string | null | undefined, detail: string | null | undefined): QboFaultEntry {
  return {
    code: code ?? '',
    element: element === undefined || element === null || element === '' ? null : element,
    message: message ?? '',
    detail: detail ?? null,
  };
}

/** A fault carried by a parsed JSON body (top level, or one batch item), else null. */
export function faultOfJson(body: unknown): RawFault | null {
  const upper = upperCaseFaultSchema.safeParse(body);
  if (upper.success) {
    return {
      type: upper.data.Fault.type ?? null,
      entries: upper.data.Fault.Error.map((e) => entry(e.code, e.element, e.Message, e.Detail)),
    };
  }
  const lower = lowerCaseFaultSchema.safeParse(body);
  if (lower.success) {
    return {
      type: lower.data.fault.type ?? null,
      entries: lower.data.fault.error.map((e) => entry(e.code, e.element, e.message, e.detail)),
    };
  }
  return null;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  isArray: (name) => name === 'Error' || name === 'Fault',
});

const xmlFaultSchema = z.looseObject({
  '@_type': z.string().optional(),
  Error: z.array(
    z.looseObject({
      '@_code': z.string().optional(),
      '@_element': z.string().optional(),
      Message: z.unknown(),
      Detail: z.unknown(),
    }),
  ),
});

/** A fault in an XML body (`<IntuitResponse><Fault><Error code>` or a bare `<Fault>`), else null. */
export function faultOfXml(text: string): RawFault | null {
  let doc: unknown;
  try {
    doc = xmlParser.parse(text);
  } catch {
    return null;
  }
  const root = z.looseObject({ IntuitResponse: z.looseObject({ Fault: z.array(z.unknown()) }) }).safeParse(doc);
  const bare = z.looseObject({ Fault: z.array(z.unknown()) }).safeParse(doc);
  const candidates = root.success ? root.data.IntuitResponse.Fault : bare.success ? bare.data.Fault : [];
  const fault = xmlFaultSchema.safeParse(candidates[0]);
  if (!fault.success || fault.data.Error.length === 0) return null;
  return {
    type: fault.data['@_type'] ?? null,
    entries: fault.data.Error.map((e, i) =>
      entry(e['@_code'], e['@_element'], xmlText(e.Message, text, 'Message', i), xmlText(e.Detail, text, 'Detail', i)),
    ),
  };
}

const XML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/**
 * The text of an XML element. QBO (and the recordings' redactions) sometimes put unescaped `<…>` inside
 * Detail, which an XML parser reads as child elements: then the raw text between the tags is used.
 */
function xmlText(parsed: unknown, raw: string, tag: string, index: number): string | null {
  if (typeof parsed === 'string') return parsed;
  if (parsed === undefined || parsed === null) return null;
  const matches = [...raw.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))];
  const found = matches[index]?.[1];
  return found === undefined ? null : found.replace(/&(amp|lt|gt|quot|apos);/g, (m) => XML_ENTITIES[m] ?? m);
}

/**
 * Any top-level `Fault` or `fault` key is a failure, whatever its shape (issue 14, defect 6): an `Error`
 * object instead of a list, a type without errors, an empty list. Whatever entries can be read are kept.
 */
function malformedFaultOf(body: unknown): RawFault | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  if (!('Fault' in record) && !('fault' in record)) return null;
  const fault = record['Fault'] ?? record['fault'];
  const fields = typeof fault === 'object' && fault !== null && !Array.isArray(fault) ? (fault as Record<string, unknown>) : {};
  const type = typeof fields['type'] === 'string' ? fields['type'] : null;
  const raw = fields['Error'] ?? fields['error'];
  const list: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? [raw] : [];
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
  const entries = list
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => entry(text(e['code']), text(e['element']), text(e['Message'] ?? e['message']), text(e['Detail'] ?? e['detail'])));
  return { type, entries: entries.length > 0 ? entries : [entry('', null, 'QuickBooks answered with a fault that lists no errors', null)] };
}

/**
 * Some answers wrap their one result in a list (`AttachableResponse: [{ Fault }]`, HTTP 200). A list whose
 * items all carry faults is a failed call. BatchItemResponse is left to the batch helper: its items fail
 * one by one.
 */
function faultOfResponseList(body: unknown): RawFault | null {
  if (typeof body !== 'object' || body === null) return null;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'BatchItemResponse' || !key.endsWith('Response') || !Array.isArray(value) || value.length === 0) continue;
    const faults = value.map((item: unknown) => faultOfJson(item));
    const first = faults[0];
    if (first && faults.every((f) => f !== null)) return first;
  }
  return null;
}

/** JSON text → value, or undefined when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

interface FaultContext {
  status: number;
  intuitTid: string | null;
  retryAfterMs: number | null;
  secrets: readonly string[];
}

function numericCode(code: string): number | null {
  return /^\d+$/.test(code) ? Number(code) : null;
}

/**
 * Maps a fault to its typed error by HTTP status first (401/403/429/5xx say what happened to the call)
 * and then by code range, as python-quickbooks and n8n do: 610 not found, 2xxx–4xxx validation,
 * 5010 stale, 6240 duplicate, 6xxx business, 10000 system failure.
 */
export function classifyFault(fault: RawFault, ctx: FaultContext): QboError {
  const scrub = (s: string | null): string | null => (s === null ? null : redactSecrets(s, ctx.secrets));
  const entries = fault.entries.map((e) => ({ ...e, message: scrub(e.message) ?? '', detail: scrub(e.detail) }));
  const first = entries[0] ?? entry('', null, 'QuickBooks fault without errors', null);
  const init: QboErrorInit = {
    code: first.code,
    element: first.element,
    message: first.message || `QuickBooks fault ${first.code}`,
    detail: first.detail,
    intuitTid: ctx.intuitTid,
    httpStatus: ctx.status,
    faultType: fault.type,
    errors: entries,
    retryAfterMs: ctx.retryAfterMs,
  };
  const code = numericCode(first.code);
  const type = (fault.type ?? '').toLowerCase();

  if (ctx.status === 429 || code === FAULT_CODES.throttled) return new QboThrottledError(init);
  if (ctx.status === 401 || (code !== null && code >= 3200 && code < 3300)) return new QboAuthenticationError(init);
  if (ctx.status === 403 || (code !== null && code >= 3100 && code < 3200)) return new QboAuthorizationError(init);
  if (ctx.status === 504 || code === FAULT_CODES.gatewayTimeout) return new QboServiceError({ ...init, outcomeUnknown: true });
  if (ctx.status >= 500 || code === FAULT_CODES.systemFailure || type === 'systemfault') return new QboServiceError(init);
  if (code === FAULT_CODES.notFound) return new QboNotFoundError(init);
  if (code === FAULT_CODES.staleObject) return new QboStaleObjectError(init);
  if (code === FAULT_CODES.duplicateName) return new QboDuplicateNameError(init);
  if (code !== null && code >= 6000 && code < 7000) return new QboBusinessError(init);
  return new QboValidationError(init);
}

/** An answer with no recognisable fault, judged by status alone. */
function errorWithoutFault(ctx: FaultContext, what: string): QboError {
  const init: QboErrorInit = {
    code: `HTTP_${ctx.status}`,
    message: `QuickBooks answered HTTP ${ctx.status} with ${what}`,
    intuitTid: ctx.intuitTid,
    httpStatus: ctx.status,
    retryAfterMs: ctx.retryAfterMs,
  };
  if (ctx.status === 429) return new QboThrottledError(init);
  if (ctx.status === 401) return new QboAuthenticationError(init);
  if (ctx.status === 403) return new QboAuthorizationError(init);
  if (ctx.status >= 500) return new QboServiceError({ ...init, outcomeUnknown: ctx.status === 504 });
  // A 2xx we cannot read may still mean the write was applied: retry it under the same requestid.
  if (ctx.status >= 200 && ctx.status < 300) return new QboUnexpectedResponseError({ ...init, retryable: true, outcomeUnknown: true });
  return new QboUnexpectedResponseError(init);
}

/**
 * The typed error for a QuickBooks answer, or null when the answer is a success whose body is a JSON
 * object without a fault. `body` may be raw text (JSON or XML) or already-parsed JSON.
 */
export function parseFault(status: number, headers: ResponseHeaders, body: unknown, options: ParseFaultOptions = {}): QboError | null {
  const ctx: FaultContext = {
    status,
    intuitTid: headerValue(headers, 'intuit_tid'),
    retryAfterMs: retryAfterMs(headers),
    secrets: options.secrets ?? [],
  };
  let value: unknown = body;
  if (typeof body === 'string') {
    if (looksLikeXml(body)) {
      const xmlFault = faultOfXml(body);
      if (xmlFault) return classifyFault(xmlFault, ctx);
      return errorWithoutFault(ctx, 'an XML or HTML body that is not a QuickBooks fault');
    }
    value = body.trim() === '' ? undefined : parseJsonText(body);
    if (value === undefined) return errorWithoutFault(ctx, body.trim() === '' ? 'an empty body' : 'a body that is not JSON');
  }
  const jsonFault = faultOfJson(value) ?? malformedFaultOf(value) ?? faultOfResponseList(value);
  if (jsonFault) return classifyFault(jsonFault, ctx);
  if (status < 200 || status >= 300) return errorWithoutFault(ctx, 'no QuickBooks fault in the body');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return errorWithoutFault(ctx, 'a JSON body that is not an object');
  }
  return null;
}

/** A fault inside one batch item (HTTP 200 overall), as a typed error, or null when the item succeeded. */
export function parseItemFault(item: unknown, intuitTid: string | null, options: ParseFaultOptions = {}): QboError | null {
  const fault = faultOfJson(item) ?? malformedFaultOf(item);
  if (!fault) return null;
  return classifyFault(fault, { status: 200, intuitTid, retryAfterMs: null, secrets: options.secrets ?? [] });
}
