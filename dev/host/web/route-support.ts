import type { Request, Response } from 'express';
import { sessionUserOf } from '../auth/session-user';
import { RecordNotFoundError } from '../models/errors';
import type { WorkModels } from '../models/work-models';
import '../auth/session-data';
import type { SyncStatusLookup } from './sync-status';

export interface RouteDeps {
  models: WorkModels;
  /** The plugin's record status (optional: Work runs without the plugin too). */
  syncStatus?: SyncStatusLookup;
}

/** The signed-in user's account. Routes using it sit behind requireSignedIn. */
export function accountIdOf(req: Request): string {
  const user = sessionUserOf(req);
  if (!user) throw new Error('accountIdOf used on a route without requireSignedIn');
  return user.accountId;
}

/** A route parameter as one string (Express 5 types allow arrays for wildcards). */
export function param(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** A query parameter as one string; a value with a NUL character (which no record holds) counts as absent. */
export function queryText(req: Request, name: string): string {
  const value: unknown = req.query[name];
  return typeof value === 'string' && !value.includes('\u0000') ? value : '';
}

/** Found or a 404 for the page: records of other accounts are reported exactly like missing ones. */
export function found<T>(record: T | null, entity: string, id: string): T {
  if (record === null) throw new RecordNotFoundError(entity, id);
  return record;
}

export function flash(req: Request, message: string): void {
  req.session.flash = message;
}

export function renderForm(res: Response, view: string, locals: Record<string, unknown>, status = 200): void {
  res.status(status).render(view, locals);
}

/** The error list above a form, in the order the fields appear. */
export function errorSummary(errors: Record<string, string>): string[] {
  return Object.values(errors);
}
