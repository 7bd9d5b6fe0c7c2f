/**
 * Writes QBO responses: JSON when the client accepts application/json, otherwise XML as QBO does, and
 * an intuit_tid header on every response (unless the server half already set one).
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { formatQboTime } from '../store/qbo-time';

export function ensureIntuitTid(res: Response): void {
  if (!res.getHeader('intuit_tid')) res.setHeader('intuit_tid', `1-${randomUUID()}`);
}

export function wantsJson(req: Request): boolean {
  const accept = req.get('accept') ?? '';
  return /application\/json/i.test(accept);
}

export function sendQbo(req: Request, res: Response, status: number, body: Record<string, unknown>): void {
  ensureIntuitTid(res);
  if (wantsJson(req)) {
    res.status(status).type('application/json;charset=utf-8').send(JSON.stringify(body));
    return;
  }
  res.status(status).type('application/xml;charset=utf-8').send(toXml(body));
}

/** A plain JSON → XML rendering under <IntuitResponse>, enough for a client that forgot Accept to notice. */
export function toXml(body: Record<string, unknown>): string {
  const time = typeof body['time'] === 'string' ? body['time'] : formatQboTime(new Date(), true);
  const inner = Object.entries(body)
    .filter(([k]) => k !== 'time')
    .map(([k, v]) => element(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${escapeXml(time)}">${inner}</IntuitResponse>`;
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object' && value !== null) {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('');
    return `<${name}>${children}</${name}>`;
  }
  if (value === undefined || value === null) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
