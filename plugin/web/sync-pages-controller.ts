import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AccountRef, WorkPort } from '../host/work-host';
import { HISTORY_TEXTS, LOG_TEXTS, PREVIEW_TEXTS, SYNC_NOW_TEXTS } from '../messages';
import type { SyncAdminQueries } from '../persistence/sync-admin-queries';
import type { SyncHandle } from '../sync/engine/create-sync-engine';
import { bodyField, withAccount } from './admin-route';
import { ensureSessionId, existingSessionId } from './browser-session';
import type { CsrfTokens } from './csrf';
import type { PageRenderer } from './page-renderer';
import { runView, type NoticeView, type RunView } from './page-format';
import { buildPreviewPage, readPreviewFilter } from './preview-view-model';
import type { SyncRunStarter } from './sync-run-starter';

export interface SyncPagesDeps {
  currentAccount(req: Request): AccountRef | null;
  sync: Pick<SyncHandle, 'preview' | 'status' | 'cancel'>;
  starter: Pick<SyncRunStarter, 'start'>;
  queries: Pick<SyncAdminQueries, 'listRuns'>;
  work: () => Pick<WorkPort, 'clients' | 'sites'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  logger: Logger;
  clock: () => Date;
  cookiePath: string;
}

/** While a run goes on, a page without script reloads itself this often. */
const REFRESH_SECONDS = 3;
const HISTORY_LIMIT = 100;
const NAME_PAGE = 500;

/** The notices the sync page shows after a redirect, by a fixed key (the query never carries text). */
const SYNC_NOTICES: Readonly<Record<string, NoticeView>> = {
  started: { tone: 'success', text: SYNC_NOW_TEXTS.started },
  already_running: { tone: 'info', text: SYNC_NOW_TEXTS.alreadyRunning },
  cancelling: { tone: 'info', text: SYNC_NOW_TEXTS.cancelRequested },
  nothing_to_cancel: { tone: 'info', text: SYNC_NOW_TEXTS.nothingToCancel },
};

function noticeFrom(query: Request['query'], notices: Readonly<Record<string, NoticeView>>): NoticeView | null {
  const key = query['notice'];
  return typeof key === 'string' && Object.hasOwn(notices, key) ? (notices[key] ?? null) : null;
}

/** Readiness preview, Sync now (start, live progress, cancel) and the run history. */
export class SyncPagesController {
  constructor(private readonly deps: SyncPagesDeps) {}

  readonly preview: RequestHandler = this.route(async (req, res, account) => {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    const { filter, ignored } = readPreviewFilter(req.query);
    let result;
    try {
      result = await this.deps.sync.preview(account.id);
    } catch (err) {
      this.deps.logger.warn({ accountId: account.id, error: err instanceof Error ? err.name : 'unknown' }, 'the readiness preview could not read QuickBooks');
      await this.send(req, res, 'preview', PREVIEW_TEXTS.title, 'sync/preview.ejs', { notice: { tone: 'error', text: PREVIEW_TEXTS.qboUnreachable }, preview: null }, 502);
      return;
    }
    if (result.status !== 'ok') {
      await this.send(req, res, 'preview', PREVIEW_TEXTS.title, 'sync/preview.ejs', { notice: { tone: 'warning', text: result.message }, preview: null }, 200);
      return;
    }
    const status = await this.deps.sync.status(account.id);
    const preview = buildPreviewPage({
      plan: result.plan,
      filter,
      basePath: req.baseUrl,
      workNames: await this.workNames(account.id),
      csrfToken: status.running ? null : this.deps.csrf.issue(sessionId, account.id),
    });
    const onboarded = (await this.deps.queries.listRuns(account.id, HISTORY_LIMIT)).some((r) => r.kind === 'onboarding' && r.status === 'succeeded' && !r.dry_run);
    const notice: NoticeView | null = ignored
      ? { tone: 'warning', text: LOG_TEXTS.badFilter }
      : status.running
        ? { tone: 'info', text: SYNC_NOW_TEXTS.alreadyRunning }
        : onboarded
          ? { tone: 'info', text: PREVIEW_TEXTS.alreadyOnboarded }
          : null;
    await this.send(req, res, 'preview', PREVIEW_TEXTS.title, 'sync/preview.ejs', { notice, preview }, 200);
  });

  readonly syncPage: RequestHandler = this.route(async (req, res, account) => {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    const status = await this.deps.sync.status(account.id);
    const run = status.run ? runView(status.run, this.deps.clock()) : null;
    const onboarded = (await this.deps.queries.listRuns(account.id, HISTORY_LIMIT)).some((r) => r.kind === 'onboarding' && r.status === 'succeeded' && !r.dry_run);
    const page = {
      notice: noticeFrom(req.query, SYNC_NOTICES),
      run,
      openReviews: status.openReviews,
      csrfToken: this.deps.csrf.issue(sessionId, account.id),
      startAction: `${req.baseUrl}/sync/start`,
      cancelAction: `${req.baseUrl}/sync/cancel`,
      progressUrl: `${req.baseUrl}/sync/progress`,
      logHref: run ? `${req.baseUrl}/log?run=${encodeURIComponent(run.id)}` : `${req.baseUrl}/log`,
      reviewHref: `${req.baseUrl}/review`,
      previewHref: `${req.baseUrl}/preview`,
      previewLabel: PREVIEW_TEXTS.title,
      kind: onboarded ? 'manual' : 'onboarding',
      startLabel: onboarded ? SYNC_NOW_TEXTS.startButton : SYNC_NOW_TEXTS.startFirstButton,
      firstSyncHint: onboarded ? null : SYNC_NOW_TEXTS.firstSyncHint,
    };
    await this.deps.pages.send(req, res, {
      page: 'sync',
      title: SYNC_NOW_TEXTS.title,
      view: 'sync/sync-now.ejs',
      data: { title: SYNC_NOW_TEXTS.title, texts: TEXTS, page },
      ...(run?.running ? { refreshSeconds: REFRESH_SECONDS } : {}),
      scripts: ['qbo-sync.js'],
    });
  });

  /** The live progress the page's script polls (JSON; nothing but counts and worded labels). */
  readonly progress: RequestHandler = this.route(async (_req, res, account) => {
    const status = await this.deps.sync.status(account.id);
    const run: RunView | null = status.run ? runView(status.run, this.deps.clock()) : null;
    res.set('Cache-Control', 'no-store').json({
      running: status.running,
      run: run && {
        id: run.id,
        status: run.status,
        statusLabel: run.statusLabel,
        phase: run.phase,
        done: run.done,
        expected: run.expected,
        percent: run.percent,
        text: run.expected === null ? SYNC_NOW_TEXTS.progressWorking : SYNC_NOW_TEXTS.progressOf(run.done, run.expected),
        counts: run.counts.map((c) => ({ entity: c.entity, label: c.label, items: c.items.map((i) => ({ label: i.label, count: i.count })) })),
      },
    });
  });

  readonly start: RequestHandler = this.route(async (req, res, account) => {
    if (!this.validCsrf(req, account)) {
      await this.expired(req, res);
      return;
    }
    const kind = bodyField(req.body, 'kind') === 'onboarding' ? 'onboarding' : 'manual';
    const answer = await this.deps.starter.start(account.id, kind);
    if (answer.status === 'refused') {
      await this.send(req, res, 'sync', SYNC_NOW_TEXTS.title, 'sync/sync-now.ejs', { page: this.bare({ tone: 'warning', text: answer.message }) }, 409);
      return;
    }
    res.redirect(303, `${req.baseUrl}/sync?notice=${answer.status === 'started' ? 'started' : 'already_running'}`);
  });

  readonly cancel: RequestHandler = this.route(async (req, res, account) => {
    if (!this.validCsrf(req, account)) {
      await this.expired(req, res);
      return;
    }
    const asked = await this.deps.sync.cancel(account.id);
    res.redirect(303, `${req.baseUrl}/sync?notice=${asked ? 'cancelling' : 'nothing_to_cancel'}`);
  });

  readonly history: RequestHandler = this.route(async (req, res, account) => {
    const now = this.deps.clock();
    const runs = (await this.deps.queries.listRuns(account.id, HISTORY_LIMIT)).map((run) => {
      const view = runView(run, now);
      return { ...view, logHref: `${req.baseUrl}/log?run=${encodeURIComponent(view.id)}`, note: view.dryRun ? HISTORY_TEXTS.dryRun : view.running ? HISTORY_TEXTS.running : null };
    });
    await this.send(req, res, 'history', HISTORY_TEXTS.title, 'sync/history.ejs', { runs }, 200);
  });

  private route(handler: (req: Request, res: Response, account: AccountRef) => Promise<void>): RequestHandler {
    return withAccount((req) => this.deps.currentAccount(req), handler);
  }

  private validCsrf(req: Request, account: AccountRef): boolean {
    const sessionId = existingSessionId(req);
    return sessionId !== null && this.deps.csrf.verify(bodyField(req.body, '_csrf'), sessionId, account.id);
  }

  private bare(notice: NoticeView) {
    return { notice, run: null, openReviews: 0, csrfToken: null, startAction: '', cancelAction: '', progressUrl: '', logHref: '', reviewHref: '', previewHref: '', previewLabel: '', kind: 'manual', startLabel: '', firstSyncHint: null };
  }

  private async expired(req: Request, res: Response): Promise<void> {
    ensureSessionId(req, res, this.deps.cookiePath);
    await this.send(req, res, 'sync', SYNC_NOW_TEXTS.title, 'sync/sync-now.ejs', { page: this.bare({ tone: 'error', text: SYNC_NOW_TEXTS.formExpired }) }, 403);
  }

  private send(req: Request, res: Response, page: 'preview' | 'sync' | 'history', title: string, view: string, data: Record<string, unknown>, status: number): Promise<void> {
    return this.deps.pages.send(req, res, { page, title, view, data: { title, texts: TEXTS, ...data }, status });
  }

  /** Names of the account's Work clients and sites (keyset pages), so the preview says which record it means. */
  private async workNames(accountId: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const work = this.deps.work();
    for (let afterId: string | undefined; ; ) {
      const page = await work.clients.list(accountId, { limit: NAME_PAGE, ...(afterId ? { afterId } : {}) });
      for (const c of page) names.set(`client:${c.id}`, c.companyName ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || `#${c.id}`));
      if (page.length < NAME_PAGE) break;
      afterId = page[page.length - 1]?.id;
    }
    for (let afterId: string | undefined; ; ) {
      const page = await work.sites.list(accountId, { limit: NAME_PAGE, ...(afterId ? { afterId } : {}) });
      for (const s of page) names.set(`site:${s.id}`, s.name);
      if (page.length < NAME_PAGE) break;
      afterId = page[page.length - 1]?.id;
    }
    return names;
  }
}

const TEXTS = { preview: PREVIEW_TEXTS, syncNow: SYNC_NOW_TEXTS, history: HISTORY_TEXTS };
