import path from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { register, type PluginHandle, type PluginOptions, type PluginRuntime, type WorkHost } from '../../plugin/index';
import { issueCsrfToken, requireCsrfToken } from './auth/csrf';
import { loadSessionUser, requireSignedIn, sessionUserOf } from './auth/session-user';
import { LifecycleBus } from './lifecycle-bus';
import { RecordNotFoundError } from './models/errors';
import { createWorkModels, type WorkModels } from './models/work-models';
import { messages } from './web/messages';
import { authRoutes } from './web/routes/auth-routes';
import { clientRoutes } from './web/routes/client-routes';
import { invoiceRoutes } from './web/routes/invoice-routes';
import { itemRoutes } from './web/routes/item-routes';
import { paymentRoutes } from './web/routes/payment-routes';
import { siteRoutes } from './web/routes/site-routes';
import { createWorkHost } from './work-host-adapter';

export const VIEWS_DIR = path.join(__dirname, 'views');
/** Where Work puts the QuickBooks settings page; the nav links to it. */
export const QUICKBOOKS_SETTINGS_PATH = '/settings/integrations/quickbooks';

/** Work's own pages; all of them need a signed-in user. */
const SIGNED_IN_PREFIXES = ['/clients', '/invoices', '/payments', '/items'];

export interface WorkAppOptions {
  knex: Knex;
  sessionSecret: string;
  /** Passed to the plugin's register(); its mountPath is also where the nav link points. */
  pluginOptions: PluginOptions;
  /** Passed to register() as its runtime: a logger or clock of the caller's (tests capture logs with it). */
  pluginRuntime?: PluginRuntime;
  /** Send the session cookie over HTTPS only (behind TLS). */
  secureCookies?: boolean;
  /** Where unexpected errors are reported. */
  logError?: (err: unknown) => void;
}

export interface WorkApp {
  app: Express;
  host: WorkHost;
  plugin: PluginHandle;
  bus: LifecycleBus;
  models: WorkModels;
}

/** Prepares what every page's layout shows: who is signed in, the nav, and a one-time message. */
function layoutLocals(settingsPath: string): RequestHandler {
  return (req, res, next) => {
    const user = sessionUserOf(req);
    res.locals.nav = user
      ? { signedIn: true, userName: user.name, accountName: user.accountName, isAdmin: user.isAdmin, settingsPath }
      : { signedIn: false, userName: '', accountName: '', isAdmin: false, settingsPath: '' };
    res.locals.flash = req.session.flash ?? null;
    delete req.session.flash;
    res.locals.title = 'Work';
    next();
  };
}

function errorHandler(logError: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof RecordNotFoundError) {
      res.status(404).render('errors/not-found', { title: 'Not found', message: messages.notFound });
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.status : 500;
    if (status === 500) logError(err);
    res.status(status).render('errors/server', { title: 'Error', message: status === 500 ? messages.serverError : messages.badRequest });
  };
}

/**
 * The Work stand-in: the monolith's pages, its login, its models and lifecycle events, and the plugin mounted
 * exactly as Work mounts it (register, then start).
 */
export async function createWorkApp(options: WorkAppOptions): Promise<WorkApp> {
  const { knex } = options;
  const logError = options.logError ?? ((err: unknown) => console.error(err));
  const pluginOptions: PluginOptions = { mountPath: QUICKBOOKS_SETTINGS_PATH, ...options.pluginOptions };
  const bus = new LifecycleBus();
  const models = createWorkModels(knex, bus);

  const app = express();
  app.disable('x-powered-by');
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');

  app.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 5000 }));
  app.use(
    session({
      name: 'work.sid',
      secret: options.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies ?? false, maxAge: 8 * 60 * 60 * 1000 },
    }),
  );
  app.use(loadSessionUser(knex));
  app.use(layoutLocals(pluginOptions.mountPath ?? QUICKBOOKS_SETTINGS_PATH));
  app.use(issueCsrfToken);
  // Plugin routers land here whenever they are mounted. They come before Work's CSRF check because the
  // plugin protects its own forms (and will take Intuit's webhooks, which carry no Work token).
  const pluginMounts = express.Router();
  app.use(pluginMounts);
  app.use(requireCsrfToken);

  app.use(authRoutes(knex));
  app.get('/', requireSignedIn, (_req, res) => res.redirect(303, '/clients'));
  // Guarded by path, so paths that are not Work's own pages (the plugin's, unknown ones) are left alone.
  app.use(SIGNED_IN_PREFIXES, requireSignedIn);
  // The plugin is registered below (it needs the host); the pages ask it for records' QuickBooks status.
  const registered: { plugin?: PluginHandle } = {};
  const deps = {
    models,
    syncStatus: (accountId: string, entity: 'client' | 'invoice', ids: readonly string[]) => registered.plugin?.recordStatus(accountId, entity, ids) ?? Promise.resolve(new Map()),
  };
  app.use(clientRoutes(deps), siteRoutes(deps), invoiceRoutes(deps), paymentRoutes(deps), itemRoutes(deps));

  const host = createWorkHost({ knex, bus, models, pluginMounts });
  const plugin = register(host, pluginOptions, options.pluginRuntime);
  registered.plugin = plugin;
  await plugin.start();

  app.use((_req, res) => {
    res.status(404).render('errors/not-found', { title: 'Not found', message: messages.notFound });
  });
  app.use(errorHandler(logError));

  return { app, host, plugin, bus, models };
}
