import type { Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';
import { LOG_TEXTS } from '../messages';
import type { SyncAdminQueries } from '../persistence/sync-admin-queries';
import type { SyncHandle } from '../sync/engine/create-sync-engine';
import { bodyField, withAccount } from './admin-route';
import { ensureSessionId, existingSessionId } from './browser-session';
import type { CsrfTokens } from './csrf';
import { logCsv, logEntryView, logFilterOptions, logQuery, readLogFilter } from './log-view-model';
import type { PageRenderer } from './page-renderer';
import type { NoticeView } from './page-format';

export interface LogControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  sync: Pick<SyncHandle, 'retryLogEntry' | 'dismissLogEntry'>;
  queries: Pick<SyncAdminQueries, 'searchLog' | 'listRuns' | 'ownLogIds'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  cookiePath: string;
}

const PAGE_LIMIT = 200;
const CSV_LIMIT = 10_000;
const RUN_OPTIONS = 50;
const MAX_SELECTION = 500;

type Action = 'retry' | 'dismiss';

function idsOf(body: unknown): string[] {
  const value = bodyField(body, 'ids');
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string'))];
}

/** The sync log: filters, retry and dismiss (one entry or a selection), and the CSV export of the filtered log. */
export class LogController {
  constructor(private readonly deps: LogControllerDeps) {}

  readonly show: RequestHandler = this.route(async (req, res, account) => {
    const { ignored } = readLogFilter(req.query);
    const n = Number(req.query['n']);
    const count = Number.isSafeInteger(n) && n >= 0 ? n : 0;
    const notices: Record<string, NoticeView> = {
      retried: { tone: 'success', text: LOG_TEXTS.retried(count) },
      dismissed: { tone: 'success', text: LOG_TEXTS.dismissedNotice(count) },
    };
    const key = req.query['notice'];
    const notice = ignored ? { tone: 'warning' as const, text: LOG_TEXTS.badFilter } : typeof key === 'string' && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
    await this.sendPage(req, res, account, notice, 200);
  });

  readonly csv: RequestHandler = this.route(async (req, res, account) => {
    const { filter } = readLogFilter(req.query);
    const rows = await this.deps.queries.searchLog(account.id, filter, CSV_LIMIT);
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', 'attachment; filename="quickbooks-sync-log.csv"')
      .type('text/csv; charset=utf-8')
      // The byte-order mark makes Excel read the file as UTF-8.
      .send(`\uFEFF${logCsv(rows)}`);
  });

  readonly retryOne: RequestHandler = this.route((req, res, account) => this.act(req, res, account, 'retry', [String(req.params['id'] ?? '')]));
  readonly dismissOne: RequestHandler = this.route((req, res, account) => this.act(req, res, account, 'dismiss', [String(req.params['id'] ?? '')]));

  readonly bulk: RequestHandler = this.route(async (req, res, account) => {
    const action = bodyField(req.body, 'action');
    if (action !== 'retry' && action !== 'dismiss') {
      await this.sendPage(req, res, account, { tone: 'error', text: LOG_TEXTS.nothingSelected }, 400);
      return;
    }
    await this.act(req, res, account, action, idsOf(req.body));
  });

  private async act(req: Request, res: Response, account: AccountRef, action: Action, ids: string[]): Promise<void> {
    const sessionId = existingSessionId(req);
    if (!sessionId || !this.deps.csrf.verify(bodyField(req.body, '_csrf'), sessionId, account.id)) {
      await this.sendPage(req, res, account, { tone: 'error', text: LOG_TEXTS.formExpired }, 403);
      return;
    }
    if (ids.length === 0 || ids.length > MAX_SELECTION) {
      await this.sendPage(req, res, account, { tone: 'error', text: LOG_TEXTS.nothingSelected }, 400);
      return;
    }
    // Every id must be one of the account's entries; otherwise nothing at all is done.
    const own = await this.deps.queries.ownLogIds(account.id, ids);
    if (ids.some((id) => !own.has(id))) {
      await this.sendPage(req, res, account, { tone: 'error', text: LOG_TEXTS.notFound }, 404);
      return;
    }
    let changed = 0;
    for (const id of ids) {
      const done = action === 'retry' ? await this.deps.sync.retryLogEntry(account.id, id) : await this.deps.sync.dismissLogEntry(account.id, id);
      if (done) changed += 1;
    }
    if (changed === 0) {
      await this.sendPage(req, res, account, { tone: 'error', text: action === 'retry' ? LOG_TEXTS.notRetryable : LOG_TEXTS.notFound }, 409);
      return;
    }
    const back = logQuery(readLogFilter(req.body as Record<string, unknown>).filter);
    res.redirect(303, `${req.baseUrl}/log${back ? `${back}&` : '?'}notice=${action === 'retry' ? 'retried' : 'dismissed'}&n=${changed}`);
  }

  private async sendPage(req: Request, res: Response, account: AccountRef, notice: NoticeView | null, status: number): Promise<void> {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    const source = req.method === 'GET' ? req.query : (req.body as Record<string, unknown>);
    const { filter } = readLogFilter(source ?? {});
    const rows = await this.deps.queries.searchLog(account.id, filter, PAGE_LIMIT + 1);
    const entries = rows.slice(0, PAGE_LIMIT).map((row) => logEntryView(row, req.baseUrl));
    const query = logQuery(filter);
    const page = {
      notice,
      filter: { entity: filter.entity ?? '', outcome: filter.outcome ?? '', run: filter.runId ?? '', work: filter.workId ?? '', q: filter.text ?? '' },
      options: logFilterOptions(filter, await this.deps.queries.listRuns(account.id, RUN_OPTIONS)),
      entries,
      caption: LOG_TEXTS.caption(entries.length),
      truncated: rows.length > PAGE_LIMIT ? LOG_TEXTS.tooMany(PAGE_LIMIT) : null,
      csvHref: `${req.baseUrl}/log.csv${query}`,
      clearHref: `${req.baseUrl}/log`,
      actionsAction: `${req.baseUrl}/log/actions`,
      csrfToken: this.deps.csrf.issue(sessionId, account.id),
    };
    await this.deps.pages.send(req, res, { page: 'log', title: LOG_TEXTS.title, view: 'sync/log.ejs', data: { title: LOG_TEXTS.title, texts: LOG_TEXTS, page }, status });
  }

  private route(handler: (req: Request, res: Response, account: AccountRef) => Promise<void>): RequestHandler {
    return withAccount((req) => this.deps.currentAccount(req), handler);
  }
}
