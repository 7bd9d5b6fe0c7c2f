import path from 'node:path';
import express, { type Router } from 'express';
import type { WorkHost } from '../host/work-host';
import type { ConnectionController } from './connection-controller';
import { MAX_UPLOAD_BODY_BYTES, type ImportController } from './import-controller';
import { ASSETS_PATH, STYLESHEET_PATH } from './page-renderer';
import type { LogController } from './log-controller';
import type { ReconciliationController } from './reconciliation-controller';
import type { ReviewController } from './review-controller';
import type { SettingsController } from './settings-controller';
import type { SyncPagesController } from './sync-pages-controller';
import { VIEWS_DIR } from './views';

export { VIEWS_DIR, renderView } from './views';

export interface SettingsRouterDeps {
  host: Pick<WorkHost, 'requireAdmin'>;
  connection: ConnectionController;
  settings: SettingsController;
  productImport: ImportController;
  syncPages: SyncPagesController;
  log: LogController;
  review: ReviewController;
  reconciliation: ReconciliationController;
}

/** The plugin's pages. Every route is admin-only and scoped to the admin's own account. */
export function createSettingsRouter(deps: SettingsRouterDeps): Router {
  const router = express.Router();
  router.use(deps.host.requireAdmin);
  router.use(express.urlencoded({ extended: false, limit: '10kb' }));
  // The pages' one stylesheet, served here (no CDN); private: only admins reach this router.
  router.get(STYLESHEET_PATH, (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('text/css').sendFile(path.join(VIEWS_DIR, 'assets', 'qbo.css'));
  });
  // The Sync now page's progress script (the page works without it).
  router.get(`${ASSETS_PATH}/qbo-sync.js`, (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('application/javascript').sendFile(path.join(VIEWS_DIR, 'assets', 'qbo-sync.js'));
  });
  router.get('/', deps.connection.showSettings);
  router.post('/connect', deps.connection.connect);
  router.get('/callback', deps.connection.callback);
  router.post('/disconnect', deps.connection.disconnect);
  router.get('/settings', deps.settings.show);
  router.post('/settings', deps.settings.save);
  router.get('/import/products', deps.productImport.show);
  // Only this route reads a multipart body, raw and size-limited; anything bigger is answered on the page.
  router.post('/import/products', express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD_BODY_BYTES }), deps.productImport.upload, deps.productImport.tooLarge);
  router.post('/import/products/:id/confirm', deps.productImport.confirm);
  router.get('/preview', deps.syncPages.preview);
  router.get('/sync', deps.syncPages.syncPage);
  router.get('/sync/progress', deps.syncPages.progress);
  router.post('/sync/start', deps.syncPages.start);
  router.post('/sync/cancel', deps.syncPages.cancel);
  router.get('/history', deps.syncPages.history);
  router.get('/log', deps.log.show);
  router.get('/log.csv', deps.log.csv);
  router.post('/log/actions', deps.log.bulk);
  router.post('/log/:id/retry', deps.log.retryOne);
  router.post('/log/:id/dismiss', deps.log.dismissOne);
  router.get('/review', deps.review.show);
  router.post('/review/:id', deps.review.resolve);
  router.get('/reconciliation', deps.reconciliation.show);
  return router;
}
