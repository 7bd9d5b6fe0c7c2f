import type { Router } from 'express';
import type { Knex } from 'knex';
import type { WorkHost } from '../../plugin/host/work-host';
import { requireAdmin, sessionUserOf } from './auth/session-user';
import type { LifecycleBus } from './lifecycle-bus';
import type { WorkModels } from './models/work-models';

export interface WorkHostDeps {
  knex: Knex;
  bus: LifecycleBus;
  models: WorkModels;
  /**
   * Where plugin routers go. The app mounts this router before its 404 handler, so a router mounted at any
   * time (even after the app is built) is still reached.
   */
  pluginMounts: Router;
}

/** The stand-in's side of the host seam: what the real monolith hands the plugin. */
export function createWorkHost(deps: WorkHostDeps): WorkHost {
  return {
    knex: deps.knex,
    mountRouter(path, router) {
      deps.pluginMounts.use(path, router);
    },
    requireAdmin,
    currentAccount(req) {
      const user = sessionUserOf(req);
      return user ? { id: user.accountId, name: user.accountName } : null;
    },
    onLifecycle(listener) {
      return deps.bus.subscribe(listener);
    },
    work: deps.models,
    // Work's own layout (head, nav, flash) around the plugin's page; the status the plugin set is kept.
    renderPage(_req, res, page) {
      return new Promise<void>((resolve, reject) => {
        res.render('plugin-page', { title: page.title, extraHead: page.headHtml, bodyHtml: page.bodyHtml }, (err: Error | null, html: string) => {
          if (err) {
            reject(err);
            return;
          }
          res.type('html').send(html);
          resolve();
        });
      });
    },
  };
}
