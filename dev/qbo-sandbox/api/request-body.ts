/** Request bodies arrive raw (or already parsed by the server half's middleware); both end up as `unknown`. */
import type { Request } from 'express';
import { faults } from '../faults';
import { noteBodyUnread } from '../middleware/response-notes';

export function bodyText(req: Request): string {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  return JSON.stringify(body);
}

export function jsonBody(req: Request, entity: string): unknown {
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) && typeof body === 'object' && body !== null) return body;
  const text = bodyText(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A body cut off mid-way lands here: QBO never received this request, so its requestid stays unused.
    if (req.res) noteBodyUnread(req.res);
    throw faults.unparsableBody(entity);
  }
}
