import path from 'node:path';
import express, { type Router } from 'express';
import type { WorkHost } from '../host/work-host';

export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');

export interface SettingsRouterDeps {
  host: WorkHost;
}

/** The settings pages. Every route is admin-only and scoped to the admin's own account. */
export function createSettingsRouter(deps: SettingsRouterDeps): Router {
  const router = express.Router();
  router.use(deps.host.requireAdmin);
  router.get('/', (req, res) => {
    const account = deps.host.currentAccount(req);
    if (!account) {
      res.status(401).send('Sign in first.');
      return;
    }
    res.render(path.join(VIEWS_DIR, 'settings', 'index.ejs'), { account });
  });
  return router;
}
