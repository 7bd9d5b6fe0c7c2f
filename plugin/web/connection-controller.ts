import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';
import type { NoticeCode } from '../messages';
import type { ConnectionRepository } from '../persistence/connection-repository';
import type { CallbackQuery, ConnectionService } from '../qbo/oauth/connection-service';
import { ensureSessionId, existingSessionId } from './browser-session';
import { buildConnectionCard, noticeFromQuery } from './connection-view-model';
import type { CsrfTokens } from './csrf';
import type { PageRenderer } from './page-renderer';

export interface ConnectionControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  connections: Pick<ConnectionRepository, 'findByAccount'>;
  service: Pick<ConnectionService, 'startConnect' | 'completeConnect' | 'disconnect'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  clock: () => Date;
  hardExpiryWarningDays: number;
  cookiePath: string;
}

const firstString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The connection card's routes. Each handler works only on the signed-in admin's own account. */
export class ConnectionController {
  constructor(private readonly deps: ConnectionControllerDeps) {}

  readonly showSettings: RequestHandler = this.withAccount(async (req, res, account) => {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    const row = await this.deps.connections.findByAccount(account.id);
    const card = buildConnectionCard(row, {
      now: this.deps.clock(),
      hardExpiryWarningDays: this.deps.hardExpiryWarningDays,
      csrfToken: this.deps.csrf.issue(sessionId, account.id),
      basePath: req.baseUrl,
    });
    const data = { account: { name: account.name }, card, notice: noticeFromQuery(req.query['notice']) };
    await this.deps.pages.send(req, res, { page: 'connection', title: 'Connection', view: 'settings/index.ejs', data });
  });

  readonly connect: RequestHandler = this.withAccount(async (req, res, account) => {
    const sessionId = existingSessionId(req);
    if (!sessionId || !this.deps.csrf.verify(this.bodyField(req, '_csrf'), sessionId, account.id)) {
      this.backToSettings(req, res, 'csrf_failed');
      return;
    }
    res.redirect(303, await this.deps.service.startConnect(account.id, sessionId));
  });

  readonly callback: RequestHandler = this.withAccount(async (req, res, account) => {
    const query: CallbackQuery = {
      state: firstString(req.query['state']),
      code: firstString(req.query['code']),
      realmId: firstString(req.query['realmId']),
      error: firstString(req.query['error']),
    };
    // A missing session cookie can match no state; the check reports it as started elsewhere.
    const notice = await this.deps.service.completeConnect(account.id, existingSessionId(req) ?? '', query);
    res.set('Referrer-Policy', 'no-referrer');
    this.backToSettings(req, res, notice);
  });

  readonly disconnect: RequestHandler = this.withAccount(async (req, res, account) => {
    if (!this.deps.csrf.verify(this.bodyField(req, '_csrf'), existingSessionId(req), account.id)) {
      this.backToSettings(req, res, 'csrf_failed');
      return;
    }
    this.backToSettings(req, res, await this.deps.service.disconnect(account.id));
  });

  private bodyField(req: Request, name: string): unknown {
    const body: unknown = req.body;
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  }

  private backToSettings(req: Request, res: Response, notice: NoticeCode): void {
    res.redirect(303, `${req.baseUrl}/?notice=${encodeURIComponent(notice)}`);
  }

  private withAccount(handler: (req: Request, res: Response, account: AccountRef) => Promise<void>): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const account = this.deps.currentAccount(req);
      if (!account) {
        res.status(401).send('Sign in first.');
        return;
      }
      handler(req, res, account).catch(next);
    };
  }
}
