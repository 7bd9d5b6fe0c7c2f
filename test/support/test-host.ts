import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import type { Knex } from 'knex';
import type { AccountRef, LifecycleListener, WorkHost, WorkPort } from '../../plugin/host/work-host';

/**
 * The smallest WorkHost the plugin's routes can run in: an express app with a fake login carried by two
 * request headers (x-test-account: "<id>:<name>", x-test-role: admin|member). Stands in for dev/host until
 * the Work stand-in lands; tests only use `app`, `host` and the header names, so switching is local.
 */
export const ACCOUNT_HEADER = 'x-test-account';
export const ROLE_HEADER = 'x-test-role';

export interface TestHost {
  app: Express;
  host: WorkHost;
  listeners: LifecycleListener[];
}

function accountOf(req: Request): AccountRef | null {
  const value = req.get(ACCOUNT_HEADER);
  if (!value) return null;
  const [id, name] = value.split(':');
  return id ? { id, name: name ?? id } : null;
}

const noWorkPort = new Proxy({} as WorkPort, {
  get() {
    throw new Error('The test host has no Work port; use the Work stand-in for sync tests');
  },
});

export function createTestHost(knex: Knex): TestHost {
  const app = express();
  const listeners: LifecycleListener[] = [];
  const requireAdmin: RequestHandler = (req, res, next) => {
    if (!accountOf(req)) {
      res.status(401).send('Sign in first.');
      return;
    }
    if (req.get(ROLE_HEADER) !== 'admin') {
      res.status(403).send('Admins only.');
      return;
    }
    next();
  };
  const host: WorkHost = {
    knex,
    mountRouter(path: string, router: Router) {
      app.use(path, router);
    },
    requireAdmin,
    currentAccount: accountOf,
    onLifecycle(listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    work: noWorkPort,
  };
  return { app, host, listeners };
}

/** Headers that sign a request in as the admin of an account. */
export function asAdmin(accountId: string, name = `Account ${accountId}`): Record<string, string> {
  return { [ACCOUNT_HEADER]: `${accountId}:${name}`, [ROLE_HEADER]: 'admin' };
}
