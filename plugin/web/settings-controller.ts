import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AccountRef } from '../host/work-host';
import { SETTINGS_TEXTS, type NoticeTone } from '../messages';
import type { ConnectionRepository, ConnectionRow } from '../persistence/connection-repository';
import type { CompanyListReader, CompanyLists } from '../qbo/company-lists';
import type { SyncSettingsService } from '../sync/sync-settings';
import { bodyField, withAccount } from './admin-route';
import { ensureSessionId, existingSessionId } from './browser-session';
import type { CsrfTokens } from './csrf';
import type { PageRenderer } from './page-renderer';
import { formValuesOf, readSettingsForm, type SettingsFormValues, type SettingsProblems } from './settings-form';
import { buildSettingsForm, type SettingsPageView } from './settings-view-model';

export interface SettingsControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  connections: Pick<ConnectionRepository, 'findByAccount'>;
  lists: Pick<CompanyListReader, 'read'>;
  settings: Pick<SyncSettingsService, 'current' | 'save'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  logger: Logger;
  cookiePath: string;
}

type Notice = { tone: NoticeTone; text: string };

/** The sync settings form: GET shows it filled from what is stored, POST validates all of it and saves all or nothing. */
export class SettingsController {
  constructor(private readonly deps: SettingsControllerDeps) {}

  readonly show: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req, res, account) => {
      const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
      const connection = await this.usableConnection(account.id);
      if ('notice' in connection) {
        await this.sendPage(req, res, { notice: connection.notice, status: 200 });
        return;
      }
      const lists = await this.readLists(connection.row);
      if (!lists) {
        await this.sendPage(req, res, { notice: { tone: 'error', text: SETTINGS_TEXTS.qboUnreachable }, status: 200 });
        return;
      }
      const stored = await this.deps.settings.current(account.id);
      const notice: Notice | null = req.query['notice'] === 'saved' ? { tone: 'success', text: SETTINGS_TEXTS.saved } : null;
      await this.sendForm(req, res, { account, sessionId, connection: connection.row, lists, values: formValuesOf(stored), problems: {}, notice, status: 200 });
    },
  );

  readonly save: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req, res, account) => {
      const sessionId = existingSessionId(req);
      if (!sessionId || !this.deps.csrf.verify(bodyField(req.body, '_csrf'), sessionId, account.id)) {
        await this.sendPage(req, res, { notice: { tone: 'error', text: SETTINGS_TEXTS.formExpired }, status: 403 });
        return;
      }
      const connection = await this.usableConnection(account.id);
      if ('notice' in connection) {
        await this.sendPage(req, res, { notice: connection.notice, status: 409 });
        return;
      }
      const lists = await this.readLists(connection.row);
      if (!lists) {
        await this.sendPage(req, res, { notice: { tone: 'error', text: SETTINGS_TEXTS.qboUnreachable }, status: 502 });
        return;
      }
      const result = readSettingsForm(req.body, lists, { usCompany: isUsCompany(connection.row) });
      if (!result.ok) {
        await this.sendForm(req, res, { account, sessionId, connection: connection.row, lists, values: result.values, problems: result.problems, notice: null, status: 422 });
        return;
      }
      await this.deps.settings.save(account.id, result.choice);
      res.redirect(303, `${req.baseUrl}/settings?notice=saved`);
    },
  );

  private async usableConnection(accountId: string): Promise<{ row: ConnectionRow } | { notice: Notice }> {
    const row = await this.deps.connections.findByAccount(accountId);
    if (row?.status === 'connected') return { row };
    if (row?.status === 'needs_reconnect') return { notice: { tone: 'warning', text: SETTINGS_TEXTS.needsReconnect } };
    return { notice: { tone: 'info', text: SETTINGS_TEXTS.notConnected } };
  }

  /** The company's lists, read once for this request; null (and logged) when QuickBooks cannot be read. */
  private async readLists(row: ConnectionRow): Promise<CompanyLists | null> {
    try {
      return await this.deps.lists.read(row.realm_id, { withTaxCodes: !isUsCompany(row) });
    } catch (err) {
      this.deps.logger.warn({ realmId: row.realm_id, error: err instanceof Error ? err.name : 'unknown' }, 'could not read the company lists for the settings page');
      return null;
    }
  }

  private async sendForm(
    req: Request,
    res: Response,
    input: { account: AccountRef; sessionId: string; connection: ConnectionRow; lists: CompanyLists; values: SettingsFormValues; problems: SettingsProblems; notice: Notice | null; status: number },
  ): Promise<void> {
    const stored = await this.deps.settings.current(input.account.id);
    const form = buildSettingsForm({
      values: input.values,
      problems: input.problems,
      stored,
      lists: input.lists,
      usCompany: isUsCompany(input.connection),
      csrfToken: this.deps.csrf.issue(input.sessionId, input.account.id),
      action: `${req.baseUrl}/settings`,
    });
    await this.render(req, res, { title: SETTINGS_TEXTS.title, notice: input.notice, form }, input.status);
  }

  private async sendPage(req: Request, res: Response, input: { notice: Notice; status: number }): Promise<void> {
    await this.render(req, res, { title: SETTINGS_TEXTS.title, notice: input.notice, form: null }, input.status);
  }

  private render(req: Request, res: Response, page: SettingsPageView, status: number): Promise<void> {
    return this.deps.pages.send(req, res, { page: 'settings', title: 'Settings', view: 'settings/sync-settings.ejs', data: { page }, status });
  }
}

/** US companies put TAX/NON on lines; every other country needs real tax codes. Unknown country reads as US (QBO's default). */
function isUsCompany(row: ConnectionRow): boolean {
  return row.country === null || row.country === 'US';
}
