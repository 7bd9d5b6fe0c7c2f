import type { Knex } from 'knex';
import type { ConnectionStatus } from './connection-repository';

/** What the database knows about one account's sync, read for the health report. */
export interface AccountHealthFacts {
  accountId: string;
  connection: {
    status: ConnectionStatus;
    realmId: string;
    companyName: string | null;
    needsReconnectReason: string | null;
    lastRefreshedAt: Date | null;
  } | null;
  queue: {
    pending: number;
    processing: number;
    failed: number;
    failedSince: number;
    oldestPendingAt: Date | null;
  };
  lastRun: {
    id: string;
    kind: string;
    status: string;
    startedAt: Date;
    finishedAt: Date | null;
    error: string | null;
  } | null;
  logErrorsSince: number;
  webhooks: { receivedSince: number; lastReceivedAt: Date | null };
  pull: { dueAt: Date; requestCount: number; claimedBy: string | null; lockedUntil: Date | null; lastError: string | null } | null;
  /** Queue rows still claimed by a worker whose lease ran out (it stopped or died); the drain takes them back. */
  leases?: { expired: number; oldestExpiredAt: Date | null };
  /** The nightly sync's last night (the account's local date) and how it ended. */
  nightly?: { lastNight: string | null; lastStatus: string | null; lastFinishedAt: Date | null } | null;
  /** Whether the first sync (onboarding) finished; until then the schedules leave the queue to it. */
  onboarded?: boolean;
}

const count = (row: { count?: string | number } | undefined): number => Number(row?.count ?? 0);

/** Read-only SQL of the health report. Every query but the account listing is scoped to one account. */
export class HealthRepository {
  constructor(private readonly knex: Knex) {}

  /** Accounts that have (or had) a QuickBooks connection: the ones monitoring cares about. */
  async listAccountIds(): Promise<string[]> {
    const rows = await this.knex('qbo_connections').select('account_id').orderBy('account_id');
    return rows.map((r: { account_id: string }) => r.account_id);
  }

  /** `since` bounds the "recent" counts (failures, log errors, webhooks), e.g. the last 24 hours. */
  async factsFor(accountId: string, since: Date, now: Date = new Date()): Promise<AccountHealthFacts> {
    const k = this.knex;
    const [connection, queue, failedSince, lastRun, logErrors, webhooks, pull, leases, nightly, onboarding] = await Promise.all([
      k('qbo_connections').where({ account_id: accountId }).first('status', 'realm_id', 'company_name', 'needs_reconnect_reason', 'last_refreshed_at'),
      k('qbo_outbox')
        .where({ account_id: accountId })
        .first(
          k.raw(`count(*) FILTER (WHERE status = 'pending') AS pending`),
          k.raw(`count(*) FILTER (WHERE status = 'processing') AS processing`),
          k.raw(`count(*) FILTER (WHERE status = 'failed') AS failed`),
          k.raw(`min(created_at) FILTER (WHERE status = 'pending') AS oldest_pending_at`),
        ),
      k('qbo_outbox').where({ account_id: accountId, status: 'failed' }).andWhere('updated_at', '>=', since).count({ count: '*' }).first(),
      k('qbo_sync_runs').where({ account_id: accountId }).orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first('id', 'kind', 'status', 'started_at', 'finished_at', 'error'),
      k('qbo_sync_log').where({ account_id: accountId, level: 'error' }).andWhere('created_at', '>=', since).count({ count: '*' }).first(),
      k('qbo_webhook_events')
        .where({ account_id: accountId })
        .first(k.raw('count(*) FILTER (WHERE received_at >= ?) AS received_since', [since]), k.raw('max(received_at) AS last_received_at')),
      k('qbo_pull_requests').where({ account_id: accountId }).first('due_at', 'request_count', 'claimed_by', 'locked_until', 'last_error'),
      k('qbo_outbox').where({ account_id: accountId, status: 'processing' }).andWhere('locked_until', '<', now).first(k.raw('count(*) AS expired'), k.raw('min(locked_until) AS oldest_expired_at')),
      k('qbo_nightly_runs').where({ account_id: accountId }).first('last_slot', 'last_status', 'last_finished_at'),
      k('qbo_sync_runs').where({ account_id: accountId, kind: 'onboarding', status: 'succeeded', dry_run: false }).first('id'),
    ]);
    return {
      accountId,
      connection: connection
        ? {
            status: connection.status,
            realmId: connection.realm_id,
            companyName: connection.company_name,
            needsReconnectReason: connection.needs_reconnect_reason,
            lastRefreshedAt: connection.last_refreshed_at,
          }
        : null,
      queue: {
        pending: Number(queue?.pending ?? 0),
        processing: Number(queue?.processing ?? 0),
        failed: Number(queue?.failed ?? 0),
        failedSince: count(failedSince),
        oldestPendingAt: queue?.oldest_pending_at ?? null,
      },
      lastRun: lastRun
        ? { id: String(lastRun.id), kind: lastRun.kind, status: lastRun.status, startedAt: lastRun.started_at, finishedAt: lastRun.finished_at, error: lastRun.error }
        : null,
      logErrorsSince: count(logErrors),
      webhooks: { receivedSince: Number(webhooks?.received_since ?? 0), lastReceivedAt: webhooks?.last_received_at ?? null },
      pull: pull
        ? { dueAt: pull.due_at, requestCount: pull.request_count, claimedBy: pull.claimed_by, lockedUntil: pull.locked_until, lastError: pull.last_error }
        : null,
      leases: { expired: Number(leases?.expired ?? 0), oldestExpiredAt: leases?.oldest_expired_at ?? null },
      nightly: nightly ? { lastNight: nightly.last_slot, lastStatus: nightly.last_status, lastFinishedAt: nightly.last_finished_at } : null,
      onboarded: onboarding !== undefined,
    };
  }
}
