import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';
import { IMPORT_TEXTS, type NoticeTone } from '../messages';
import { MAX_UPLOAD_BYTES, readProductFile } from '../sync/import/product-file';
import type { ProductImportService } from '../sync/import/product-import-service';
import { bodyField, withAccount } from './admin-route';
import { ensureSessionId, existingSessionId } from './browser-session';
import type { CsrfTokens } from './csrf';
import { buildPreview, buildUploadForm, type ImportPageView } from './import-view-model';
import type { PageRenderer } from './page-renderer';

export interface ImportControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  imports: Pick<ProductImportService, 'preview' | 'confirm'>;
  csrf: CsrfTokens;
  pages: Pick<PageRenderer, 'send'>;
  cookiePath: string;
}

/** The multipart body may carry a little more than the file: the boundaries and the CSRF field. */
export const MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + 16 * 1024;

type Notice = { tone: NoticeTone; text: string };

/** A file name fit to show and store: no path, no control characters, not endless. */
function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join('');
  return (printable.trim() || 'upload').slice(0, 200);
}

/** Upload a QuickBooks products export, preview what it would change, confirm to import it. */
export class ImportController {
  constructor(private readonly deps: ImportControllerDeps) {}

  readonly show: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req, res, account) => {
      const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
      await this.sendPage(req, res, { account, sessionId, notice: null, uploadError: null, status: 200 });
    },
  );

  /** The body arrives raw (express.raw, size-limited); the platform's FormData reads the multipart. */
  readonly upload: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req, res, account) => {
      const sessionId = existingSessionId(req);
      const form = await this.formData(req);
      if (!sessionId || !this.deps.csrf.verify(form?.get('_csrf') ?? undefined, sessionId, account.id)) {
        await this.sendPage(req, res, { account, sessionId: ensureSessionId(req, res, this.deps.cookiePath), notice: { tone: 'error', text: IMPORT_TEXTS.formExpired }, uploadError: null, status: 403 });
        return;
      }
      const file = form?.get('file');
      if (!(file instanceof File) || (file.size === 0 && file.name === '')) {
        await this.refuse(req, res, account, sessionId, IMPORT_TEXTS.problems.noFile, 400);
        return;
      }
      const fileName = displayName(file.name);
      const parsed = await readProductFile(fileName, new Uint8Array(await file.arrayBuffer()));
      if (!parsed.ok) {
        await this.refuse(req, res, account, sessionId, parsed.problem, 422);
        return;
      }
      const { importId, changes } = await this.deps.imports.preview(account.id, fileName, parsed.products);
      const csrfToken = this.deps.csrf.issue(sessionId, account.id);
      const preview = buildPreview({ basePath: req.baseUrl, csrfToken, importId, fileName, changes, rejected: parsed.rejected });
      await this.sendPage(req, res, { account, sessionId, notice: null, uploadError: null, status: 200, preview });
    },
  );

  readonly confirm: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req, res, account) => {
      const sessionId = existingSessionId(req);
      if (!sessionId || !this.deps.csrf.verify(bodyField(req.body, '_csrf'), sessionId, account.id)) {
        await this.sendPage(req, res, { account, sessionId: ensureSessionId(req, res, this.deps.cookiePath), notice: { tone: 'error', text: IMPORT_TEXTS.formExpired }, uploadError: null, status: 403 });
        return;
      }
      const result = await this.deps.imports.confirm(account.id, String(req.params['id'] ?? ''));
      if (result.outcome === 'not_found') {
        await this.sendPage(req, res, { account, sessionId, notice: { tone: 'error', text: IMPORT_TEXTS.importGone }, uploadError: null, status: 404 });
        return;
      }
      const notice: Notice = result.outcome === 'imported' ? { tone: 'success', text: IMPORT_TEXTS.imported(result.created, result.updated) } : { tone: 'info', text: IMPORT_TEXTS.alreadyImported };
      await this.sendPage(req, res, { account, sessionId, notice, uploadError: null, status: 200 });
    },
  );

  /** An upload over the size limit never reaches the handler: answer it on the page, not with an error page. */
  readonly tooLarge: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
    const account = this.deps.currentAccount(req);
    if (type !== 'entity.too.large' || !account) {
      next(err);
      return;
    }
    // The rest of the oversized body is not read; the connection closes after the answer.
    res.set('Connection', 'close');
    const sessionId = ensureSessionId(req, res, this.deps.cookiePath);
    this.refuse(req, res, account, sessionId, IMPORT_TEXTS.problems.tooLarge(MAX_UPLOAD_BYTES / (1024 * 1024)), 413).catch(next);
  };

  private async formData(req: Request): Promise<FormData | null> {
    const body: unknown = req.body;
    const type = req.headers['content-type'];
    if (!Buffer.isBuffer(body) || typeof type !== 'string' || !type.toLowerCase().startsWith('multipart/form-data')) return null;
    try {
      return await new Response(body, { headers: { 'content-type': type } }).formData();
    } catch {
      return null;
    }
  }

  private refuse(req: Request, res: Response, account: AccountRef, sessionId: string, problem: string, status: number): Promise<void> {
    return this.sendPage(req, res, { account, sessionId, notice: { tone: 'error', text: problem }, uploadError: problem, status });
  }

  private async sendPage(
    req: Request,
    res: Response,
    input: { account: AccountRef; sessionId: string; notice: Notice | null; uploadError: string | null; status: number; preview?: ImportPageView['preview'] },
  ): Promise<void> {
    const csrfToken = this.deps.csrf.issue(input.sessionId, input.account.id);
    const page: ImportPageView = {
      title: IMPORT_TEXTS.title,
      intro: IMPORT_TEXTS.intro,
      notice: input.notice,
      upload: buildUploadForm({ basePath: req.baseUrl, csrfToken, error: input.uploadError }),
      preview: input.preview ?? null,
    };
    await this.deps.pages.send(req, res, { page: 'import', title: IMPORT_TEXTS.title, view: 'import/products.ejs', data: { page }, status: input.status });
  }
}
