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
const SIGNED_IN_PREFIXES = ['/clients', '/sites', '/invoices', '/payments', '/items'];

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
  /** false leaves the plugin out entirely: Work alone, the hook-overhead benchmark's baseline. Default true. */
  loadPlugin?: boolean;
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

/** The words for a refused request: what the body parser and the routes report, never their internals. */
function errorMessage(status: number): string {
  if (status === 413) return messages.requestTooLarge;
  if (status === 415) return messages.unsupportedEncoding;
  return status >= 500 ? messages.serverError : messages.badRequest;
}

/**
 * Work's error page. It runs for errors raised before the layout's locals exist (a body the parser
 * refuses fails ahead of the session and the nav), so it sets its own and falls back to plain text: it
 * never leaves the answer to Express's default page, which prints the stack trace.
 */
function errorHandler(logError: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const notFound = err instanceof RecordNotFoundError;
    const raw = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    const status = notFound ? 404 : raw >= 400 && raw < 500 ? raw : 500;
    if (status === 500) logError(err);
    const message = notFound ? messages.notFound : errorMessage(status);
    const locals = res.locals as Record<string, unknown>;
    locals.nav ??= { signedIn: false, userName: '', accountName: '', isAdmin: false, settingsPath: '' };
    locals.flash ??= null;
    locals.csrfToken ??= '';
    const view = notFound ? 'errors/not-found' : 'errors/server';
    res.status(status).render(view, { title: notFound ? 'Not found' : 'Error', message }, (renderError: Error | null, html?: string) => {
      if (renderError) logError(renderError);
      if (renderError || html === undefined) res.type('text').send(message);
      else res.type('html').send(html);
    });
  };
}

/**
 * The handle of a plugin that was never registered: nothing to start or stop, and anything else asked of it
 * (whatever the handle grows) fails saying why.
 */
function pluginLeftOut(): PluginHandle {
  const notLoaded = (): Error => new Error('the plugin is not loaded in this stand-in (loadPlugin: false)');
  const idle = { start: () => Promise.resolve(), stop: () => Promise.resolve() };
  return new Proxy(idle, {
    get(target, prop) {
      if (prop === 'start' || prop === 'stop') return target[prop];
      if (prop === 'then') return undefined; // not a promise: `await handle` must not throw
      throw notLoaded();
    },
  }) as PluginHandle;
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
  const plugin = options.loadPlugin === false ? pluginLeftOut() : register(host, pluginOptions, options.pluginRuntime);
  if (options.loadPlugin !== false) registered.plugin = plugin;
  await plugin.start();

  app.use((_req, res) => {
    res.status(404).render('errors/not-found', { title: 'Not found', message: messages.notFound });
  });
  app.use(errorHandler(logError));

  return { app, host, plugin, bus, models };
}
