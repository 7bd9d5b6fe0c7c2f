import type { Request, Response } from 'express';
import type { WorkHost } from '../host/work-host';
import { buildPluginNav, type PluginPageKey } from './plugin-nav';
import { renderView } from './views';

export const STYLESHEET_PATH = '/assets/qbo.css';
export const ASSETS_PATH = '/assets';

export interface PageRequest {
  /** Which plugin page this is (marks the navigation). */
  page: PluginPageKey;
  /** The page's title, e.g. "Settings"; shown as "QuickBooks Online · Settings". */
  title: string;
  /** A body template of views/ (no <html>, no <main>). */
  view: string;
  data: Record<string, unknown>;
  /** HTTP status; 200 unless told. */
  status?: number;
  /** Reload the page every N seconds when script is off (live pages degrade to this). */
  refreshSeconds?: number;
  /** Scripts of views/assets/ to load (deferred), e.g. 'qbo-sync.js'; the page works without them. */
  scripts?: string[];
}

/**
 * Renders a plugin page's body with ejs and hands it to the host's layout (WorkHost.renderPage), or wraps it
 * in the plugin's own minimal layout when the host gives none.
 */
export class PageRenderer {
  constructor(private readonly host: Pick<WorkHost, 'renderPage'>) {}

  async send(req: Request, res: Response, request: PageRequest): Promise<void> {
    const basePath = req.baseUrl;
    const bodyHtml = await renderView(request.view, { ...request.data, nav: buildPluginNav(basePath, request.page) });
    const headHtml = await renderView('layout/head.ejs', {
      stylesheet: `${basePath}${STYLESHEET_PATH}`,
      refreshSeconds: request.refreshSeconds ?? null,
      scripts: (request.scripts ?? []).map((name) => `${basePath}${ASSETS_PATH}/${name}`),
    });
    const title = `QuickBooks Online · ${request.title}`;
    res.status(request.status ?? 200).set('Cache-Control', 'no-store');
    if (this.host.renderPage) {
      await this.host.renderPage(req, res, { title, headHtml, bodyHtml });
      return;
    }
    res.type('html').send(await renderView('layout/standalone.ejs', { title, headHtml, bodyHtml }));
  }
}
