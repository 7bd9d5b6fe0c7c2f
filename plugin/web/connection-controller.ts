import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';
import type { NoticeCode } from '../messages';
import type { ConnectionRepository } from '../persistence/connection-repository';
import type { ConnectionCheck } from '../qbo/oauth/connection-check';
import type { CallbackQuery, ConnectionService } from '../qbo/oauth/connection-service';
import { ensureSessionId, existingSessionId } from './browser-session';
import { buildConnectionCard, noticeFromFlash } from './connection-view-model';
import type { CsrfTokens } from './csrf';
import type { PageRenderer } from './page-renderer';
import { setFlashNotice, takeFlashNotice, type FlashNotice } from './notice-flash';
import { browserOrigin, originOf } from './public-address';

export interface ConnectionControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  connections: Pick<ConnectionRepository, 'findByAccount'>;
  service: Pick<ConnectionService, 'startConnect' | 'completeConnect' | 'disconnect'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  clock: () => Date;
  hardExpiryWarningDays: number;
  cookiePath: string;
  /** The configured redirect URI: its origin is the one address a sign-in can finish at. */
  redirectUri: string;
  /** Asks QuickBooks whether a "connected" row still is, before the page says so. */
  check?: Pick<ConnectionCheck, 'check'>;
}

const firstString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The connection card's routes. Each handler works only on the signed-in admin's own account. */
export class ConnectionController {
  private readonly publicOrigin: string;

  constructor(private readonly deps: ConnectionControllerDeps) {
    this.publicOrigin = originOf(deps.redirectUri) ?? deps.redirectUri;
  }

  readonly showSettings: RequestHandler = this.withAccount(async (req, res, account) => {
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    let row = await this.deps.connections.findByAccount(account.id);
    if (row && this.deps.check && (await this.deps.check.check(row)) === 'needs_reconnect') row = await this.deps.connections.findByAccount(account.id);
    const card = buildConnectionCard(row, {
      now: this.deps.clock(),
      hardExpiryWarningDays: this.deps.hardExpiryWarningDays,
      csrfToken: this.deps.csrf.issue(sessionId, account.id),
      basePath: req.baseUrl,
    });
    const notice = noticeFromFlash(takeFlashNotice(req, res, this.deps.cookiePath), `${this.publicOrigin}${req.baseUrl}/`);
    res.set('Cache-Control', 'no-store');
    const data = { account: { name: account.name }, card, notice };
    await this.deps.pages.send(req, res, { page: 'connection', title: 'Connection', view: 'settings/index.ejs', data });
  });

  readonly connect: RequestHandler = this.withAccount(async (req, res, account) => {
    const sessionId = existingSessionId(req);
    if (!sessionId || !this.deps.csrf.verify(this.bodyField(req, '_csrf'), sessionId, account.id)) {
      this.backToSettings(req, res, 'csrf_failed');
      return;
    }
    // Intuit sends the browser back to the configured address only; from any other the sign-in cannot
    // finish (its cookies stay behind), so say so before sending anyone to Intuit.
    const from = browserOrigin(req);
    if (from && from !== this.publicOrigin) {
      this.backToSettings(req, res, { code: 'other_address', address: from });
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

  /** Post/redirect/get: the notice waits in a cookie and shows once; the URL names it only for logs. */
  private backToSettings(req: Request, res: Response, notice: NoticeCode | FlashNotice): void {
    const flash = typeof notice === 'string' ? { code: notice } : notice;
    setFlashNotice(req, res, this.deps.cookiePath, flash);
    res.redirect(303, `${req.baseUrl}/?notice=${encodeURIComponent(flash.code)}`);
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
