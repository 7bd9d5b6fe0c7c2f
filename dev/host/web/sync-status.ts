import type { Request } from 'express';
import type { RecordSyncStatus } from '../../../plugin/index';
import { sessionUserOf } from '../auth/session-user';
import { accountIdOf } from './route-support';

/** How Work asks the plugin for its records' QuickBooks status (the plugin handle's recordStatus). */
export type SyncStatusLookup = (accountId: string, entity: 'client' | 'invoice', workIds: readonly string[]) => Promise<Map<string, RecordSyncStatus>>;

/** A status as Work's pages show it: the label, a failure's reason, and the log link for admins only. */
export interface SyncStatusCell {
  state: string;
  label: string;
  reason: string | null;
  logUrl: string | null;
  logLabel: string;
}

/** The QuickBooks status of each record for this page's viewer; empty when no plugin answers. */
export async function syncStatusCells(lookup: SyncStatusLookup | undefined, req: Request, entity: 'client' | 'invoice', ids: readonly string[]): Promise<Map<string, SyncStatusCell>> {
  if (!lookup || ids.length === 0) return new Map();
  const isAdmin = sessionUserOf(req)?.isAdmin === true;
  const statuses = await lookup(accountIdOf(req), entity, ids);
  return new Map(
    [...statuses].map(([id, s]) => [id, { state: s.state, label: s.label, reason: s.reason, logUrl: isAdmin ? s.logUrl : null, logLabel: s.logLabel }]),
  );
}
