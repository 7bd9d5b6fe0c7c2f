import type { Request } from 'express';

/** The realm of a request under /v3/company/:realmId (the routers use mergeParams). */
export function realmOf(req: Request): string {
  const realmId = (req.params as Record<string, string | undefined>).realmId;
  return realmId ?? '';
}

export function isBatchCall(req: Request): boolean {
  return /\/batch\/?$/i.test(req.path);
}

/** The path as the client sent it, without the query string. */
export function fullPath(req: Request): string {
  const url = req.originalUrl;
  const question = url.indexOf('?');
  return question === -1 ? url : url.slice(0, question);
}

/** A single-valued query parameter; null when absent, undefined when repeated or not a string. */
export function singleQueryParam(req: Request, name: string): string | null | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return null;
  return typeof value === 'string' ? value : undefined;
}
