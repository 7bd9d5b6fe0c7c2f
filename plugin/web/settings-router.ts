import path from 'node:path';
import ejs from 'ejs';
import express, { type Router } from 'express';
import type { WorkHost } from '../host/work-host';
import type { ConnectionController } from './connection-controller';

export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');

export interface SettingsRouterDeps {
  host: Pick<WorkHost, 'requireAdmin'>;
  connection: ConnectionController;
}

/** Render a template of views/ with ejs (escaped output), independent of the host app's view settings. */
export function renderView(view: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(VIEWS_DIR, view), data, { root: VIEWS_DIR });
}

/** The settings pages. Every route is admin-only and scoped to the admin's own account. */
export function createSettingsRouter(deps: SettingsRouterDeps): Router {
  const router = express.Router();
  router.use(deps.host.requireAdmin);
  router.use(express.urlencoded({ extended: false, limit: '10kb' }));
  router.get('/', deps.connection.showSettings);
  router.post('/connect', deps.connection.connect);
  router.get('/callback', deps.connection.callback);
  router.post('/disconnect', deps.connection.disconnect);
  return router;
}
