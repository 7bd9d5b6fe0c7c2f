import type { ConnectionRepository } from '../persistence/connection-repository';
import type { HealthRepository } from '../persistence/health-repository';
import type { WebhookEventRepository } from '../persistence/webhook-event-repository';
import type { PullRequester } from './pull-requests';

export interface ReplayedAccount {
  accountId: string;
  /** Stored events of the account received since the start of the replay window. */
  events: number;
  /** Events stored for the account's company before it was connected, now taken in. */
  adopted: number;
  /** When the re-queued pull is due (null: no events, nothing queued). */
  pullDueAt: Date | null;
}

export interface WebhookReplayDeps {
  events: Pick<WebhookEventRepository, 'adoptUnknownRealm' | 'countAcceptedSince' | 'accountsWithEventsSince'>;
  connections: Pick<ConnectionRepository, 'findByAccount'>;
  accounts: Pick<HealthRepository, 'listAccountIds'>;
  pulls: PullRequester;
}

/**
 * `work-qbo webhooks replay`: ask again for a CDC pull for every account with stored events since `since`
 * (after a worker outage, or after a company was connected whose events arrived first). The pull is due at
 * once; the events themselves are only a hint, the pull reads what changed.
 */
export class WebhookReplay {
  constructor(private readonly deps: WebhookReplayDeps) {}

  async replay(opts: { since: Date; accountId?: string }): Promise<ReplayedAccount[]> {
    const ids = opts.accountId !== undefined ? [opts.accountId] : await this.candidateAccounts(opts.since);
    const out: ReplayedAccount[] = [];
    for (const accountId of ids) {
      const connection = await this.deps.connections.findByAccount(accountId);
      const listening = connection !== null && connection.status !== 'disconnected';
      const adopted = listening ? await this.deps.events.adoptUnknownRealm(accountId, connection.realm_id, opts.since) : 0;
      const events = await this.deps.events.countAcceptedSince(accountId, opts.since);
      const pullDueAt = events > 0 && listening ? (await this.deps.pulls.requestPull(accountId, 'replay', { immediate: true })).dueAt : null;
      out.push({ accountId, events, adopted, pullDueAt });
    }
    return out;
  }

  /** Accounts with events, and connected accounts (whose company's events may have arrived before they connected). */
  private async candidateAccounts(since: Date): Promise<string[]> {
    const ids = new Set([...(await this.deps.events.accountsWithEventsSince(since)), ...(await this.deps.accounts.listAccountIds())]);
    return [...ids].sort();
  }
}
