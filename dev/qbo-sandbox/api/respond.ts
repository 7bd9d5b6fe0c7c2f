/**
 * Writes QBO responses: JSON when the client accepts application/json, otherwise XML as QBO does (HTTP
 * status unchanged, the same IntuitResponse content), and an intuit_tid header on every response (unless
 * the server half already set one).
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import { acceptsJson } from '../middleware/accept-and-version';
import { formatQboTime } from '../store/qbo-time';

export function ensureIntuitTid(res: Response): void {
  if (!res.getHeader('intuit_tid')) res.setHeader('intuit_tid', `1-${randomUUID()}`);
}

export function wantsJson(req: Request): boolean {
  return acceptsJson(req.get('accept'));
}

export function sendQbo(req: Request, res: Response, status: number, body: Record<string, unknown>): void {
  ensureIntuitTid(res);
  if (wantsJson(req)) {
    res.status(status).type('application/json;charset=utf-8').send(JSON.stringify(body));
    return;
  }
  res.status(status).type('application/xml;charset=UTF-8').send(toXml(body));
}

/**
 * Keys QBO's XML carries as attributes rather than elements: an entity's domain/sparse/status, a fault's
 * type, an error's code and element, a QueryResponse's paging, a batch item's bId. All other keys (they
 * start with a capital letter) are elements.
 */
const ATTRIBUTES = new Set(['domain', 'sparse', 'status', 'type', 'code', 'element', 'startPosition', 'maxResults', 'totalCount', 'bId']);

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', suppressBooleanAttributes: false });

/** A JSON body as QBO's XML: <IntuitResponse xmlns=… time=…> with the same content. */
export function toXml(body: Record<string, unknown>): string {
  const time = typeof body['time'] === 'string' ? body['time'] : formatQboTime(new Date(), true);
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (key !== 'time') content[key] = xmlValue(key, value);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' },
    IntuitResponse: { '@_xmlns': 'http://schema.intuit.com/finance/v3', '@_time': time, ...content },
  };
  return `${String(builder.build(document))}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The builder's form of one JSON value under `key` (arrays repeat the element). */
function xmlValue(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => xmlValue(key, item));
  if (!isPlainObject(value)) return value === null || value === undefined ? undefined : String(value);
  // A reference is <CustomerRef name="Amy's">1</CustomerRef> in QBO's XML.
  if (key.endsWith('Ref') && typeof value['value'] === 'string') {
    const ref: Record<string, unknown> = { '#text': value['value'] };
    if (typeof value['name'] === 'string') ref['@_name'] = value['name'];
    if (typeof value['type'] === 'string') ref['@_type'] = value['type'];
    return ref;
  }
  const out: Record<string, unknown> = {};
  for (const [childKey, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    if (ATTRIBUTES.has(childKey) && !isPlainObject(child) && !Array.isArray(child)) out[`@_${childKey}`] = String(child);
    else out[childKey] = xmlValue(childKey, child);
  }
  return out;
}
