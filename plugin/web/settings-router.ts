import path from 'node:path';
import express, { type Router } from 'express';
import type { WorkHost } from '../host/work-host';
import type { ConnectionController } from './connection-controller';
import { MAX_UPLOAD_BODY_BYTES, type ImportController } from './import-controller';
import { STYLESHEET_PATH } from './page-renderer';
import type { SettingsController } from './settings-controller';
import { VIEWS_DIR } from './views';

export { VIEWS_DIR, renderView } from './views';

export interface SettingsRouterDeps {
  host: Pick<WorkHost, 'requireAdmin'>;
  connection: ConnectionController;
  settings: SettingsController;
  productImport: ImportController;
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
  return router;
}
