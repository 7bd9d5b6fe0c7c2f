import type { Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';
import { REVIEW_CLASH_TEXTS, REVIEW_TEXTS, SYNC_TEXTS } from '../messages';
import type { ReviewRepository } from '../persistence/review-repository';
import type { SyncAdminQueries } from '../persistence/sync-admin-queries';
import type { SyncHandle } from '../sync/engine/create-sync-engine';
import { bodyField, withAccount } from './admin-route';
import { ensureSessionId, existingSessionId } from './browser-session';
import type { CsrfTokens } from './csrf';
import type { PageRenderer } from './page-renderer';
import type { NoticeView } from './page-format';
import { reviewChoices, reviewEntryView } from './review-view-model';

export interface ReviewControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  sync: Pick<SyncHandle, 'resolveReview'>;
  reviews: Pick<ReviewRepository, 'listOpen' | 'find'>;
  queries: Pick<SyncAdminQueries, 'isLinked'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  cookiePath: string;
}

const NOTICES: Readonly<Record<string, NoticeView>> = {
  linked: { tone: 'success', text: REVIEW_TEXTS.linked },
  created: { tone: 'success', text: REVIEW_TEXTS.created },
  skipped: { tone: 'success', text: REVIEW_TEXTS.skipped },
};

/** The review list: each ambiguous match side by side; link, create new or skip. */
export class ReviewController {
  constructor(private readonly deps: ReviewControllerDeps) {}

  readonly show: RequestHandler = this.route(async (req, res, account) => {
    const key = req.query['notice'];
    await this.sendPage(req, res, account, typeof key === 'string' && Object.hasOwn(NOTICES, key) ? (NOTICES[key] ?? null) : null, 200);
  });

  readonly resolve: RequestHandler = this.route(async (req, res, account) => {
    const sessionId = existingSessionId(req);
    if (!sessionId || !this.deps.csrf.verify(bodyField(req.body, '_csrf'), sessionId, account.id)) {
      await this.sendPage(req, res, account, { tone: 'error', text: REVIEW_TEXTS.formExpired }, 403);
      return;
    }
    const entry = await this.deps.reviews.find(account.id, String(req.params['id'] ?? ''));
    if (!entry) {
      await this.sendPage(req, res, account, { tone: 'error', text: REVIEW_TEXTS.notFound }, 404);
      return;
    }
    if (entry.status !== 'open') {
      await this.sendPage(req, res, account, { tone: 'info', text: REVIEW_TEXTS.alreadyResolved }, 409);
      return;
    }
    const decision = bodyField(req.body, 'decision');
    if (typeof decision !== 'string' || decision === '') {
      await this.sendPage(req, res, account, { tone: 'error', text: REVIEW_TEXTS.chooseOne }, 422);
      return;
    }
    if (!reviewChoices(entry).includes(decision)) {
      await this.sendPage(req, res, account, { tone: 'error', text: REVIEW_TEXTS.badCandidate }, 422);
      return;
    }
    const chosen = decision.startsWith('link:') ? decision.slice(5) : null;
    const target = chosen === null ? {} : entry.work_id ? { qboId: chosen } : { workId: chosen };
    const kind = chosen !== null ? 'link' : decision === 'create' ? 'create' : 'skip';
    if (chosen !== null && (await this.linkClashes(account.id, entry.work_id ?? chosen, entry.work_id ? chosen : (entry.qbo_id ?? '')))) {
      await this.sendPage(req, res, account, { tone: 'error', text: REVIEW_CLASH_TEXTS.alreadyLinked }, 409);
      return;
    }
    const result = await this.deps.sync.resolveReview(account.id, entry.id, kind, target);
    if (result.status === 'finished') {
      res.redirect(303, `${req.baseUrl}/review?notice=${kind === 'link' ? 'linked' : kind === 'create' ? 'created' : 'skipped'}`);
      return;
    }
    const text = result.status === 'failed' ? REVIEW_TEXTS.failed : result.status === 'already_running' ? SYNC_TEXTS.alreadyRunning : result.message;
    await this.sendPage(req, res, account, { tone: 'error', text }, 409);
  });

  private async sendPage(req: Request, res: Response, account: AccountRef, notice: NoticeView | null, status: number): Promise<void> {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    const entries = (await this.deps.reviews.listOpen(account.id)).map((entry) => reviewEntryView(entry, req.baseUrl));
    const page = { notice, entries, csrfToken: this.deps.csrf.issue(sessionId, account.id) };
    await this.deps.pages.send(req, res, { page: 'review', title: REVIEW_TEXTS.title, view: 'sync/review.ejs', data: { title: REVIEW_TEXTS.title, texts: REVIEW_TEXTS, page }, status });
  }

  /** Either side already linked: the engine would refuse the link, so say why before trying. */
  private async linkClashes(accountId: string, workId: string, qboId: string): Promise<boolean> {
    return (await this.deps.queries.isLinked(accountId, 'client', { workId })) || (await this.deps.queries.isLinked(accountId, 'client', { qboId }));
  }

  private route(handler: (req: Request, res: Response, account: AccountRef) => Promise<void>): RequestHandler {
    return withAccount((req) => this.deps.currentAccount(req), handler);
  }
}
