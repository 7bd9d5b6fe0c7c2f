/**
 * The QBO sandbox server: one origin serving Intuit's own paths (authorize, token, revoke, the v3 API),
 * the control API at /_control and the pages at /. Wiring only; each part lives in its own folder.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Router } from 'express';
import { SandboxClock } from './clock';
import type { CompanyOptions, SandboxStoreApi } from './contracts';
import { createControlRouter } from './control/control-router';
import { FaultRules } from './control/fault-rules';
import { SandboxControl, type SandboxSettings } from './control/sandbox-control';
import { retiredMinorVersions } from './middleware/accept-and-version';
import { bearerAuth } from './middleware/bearer-auth';
import { faultInjection } from './middleware/fault-injection';
import { IdempotencyStore, idempotency } from './middleware/idempotency';
import { intuitTid } from './middleware/intuit-tid';
import { latency } from './middleware/latency';
import { INTUIT_LIMITS, rateLimits, RealmLimiter, type Limits } from './middleware/rate-limits';
import { RequestLog, requestLogger } from './middleware/request-log';
import { createAuthorizeRouter } from './oauth/authorize-router';
import type { ClientPolicy } from './oauth/client-policy';
import { DEFAULT_REFRESH_GRACE_MS, OAuthRegistry } from './oauth/oauth-registry';
import { createTokenRouter } from './oauth/token-router';
import { readState, removeState, STATE_VERSION, StateWriter, type SandboxState } from './store/state-file';

/** The store, API router and pages router: the API half's work, replaceable in tests. */
export interface SandboxParts {
  store: SandboxStoreApi;
  apiRouter: Router;
  pagesRouter?: Router;
}

export interface StartSandboxOptions {
  /** 0 (default) picks a free port. Always on 127.0.0.1. */
  port?: number;
  autoApprove?: boolean;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  limits?: Partial<Limits>;
  /** Sandbox time runs this many times faster than real time. */
  timeScale?: number;
  /** Real milliseconds added to every API call. */
  latencyMs?: number;
  /** Companies created at start; the first is the default realm. Defaults to DEFAULT_COMPANIES. */
  companies?: CompanyOptions[];
  /** How long a used refresh token keeps working (sandbox ms). */
  refreshGraceMs?: number;
  /**
   * Keep companies, data and the grants/tokens of connections in this JSON file across restarts (dev/start.ts
   * uses .data/qbo-sandbox.json). When it exists, its companies and realm ids are used and `companies` is
   * ignored. Without it (the default, and in tests) everything lives in memory only.
   */
  stateFile?: string;
  /**
   * Seed the companies created at start (not Self-Employed ones) with the demo customers of their country,
   * which meet the Work stand-in's seeded clients (dev/start.ts turns it on). Default false, so tests start
   * from companies with no customers.
   */
  demoData?: boolean;
  /** Delete the state file before starting (QBO_SANDBOX_RESET=1). */
  resetState?: boolean;
  /** How many request-log entries are kept (default 50,000); the running counts outlive them. */
  requestLogEntries?: number;
  /** Builds the store and routers; defaults to the API half's SandboxStore, createApiRouter and pages. */
  parts?: (deps: { clock: SandboxClock }) => SandboxParts | Promise<SandboxParts>;
}

export interface RunningSandbox {
  baseUrl: string;
  store: SandboxStoreApi;
  clock: SandboxClock;
  /** The default company's realm (the first one created at start). */
  defaultRealmId: string;
  issueAccessToken(realmId: string): string;
  control: SandboxControl;
  close(): Promise<void>;
}

/**
 * Like the sandbox companies Intuit creates: custom transaction numbers off, so QBO numbers invoices itself.
 * The last one has them on, for the duplicate-number rule (6140) and invoices without a DocNumber.
 */
export const DEFAULT_COMPANIES: CompanyOptions[] = [
  { companyName: 'Sandbox Company US Plus', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false },
  { companyName: 'Sandbox Company CA Essentials', country: 'CA', offeringSku: 'QuickBooks Online Essentials', customTxnNumbers: false },
  { companyName: 'Sandbox Company GB Advanced', country: 'GB', offeringSku: 'QuickBooks Online Advanced', customTxnNumbers: false },
  { companyName: 'Sandbox Self-Employed', country: 'US', offeringSku: 'QuickBooks Self-Employed', customTxnNumbers: false },
  { companyName: 'Sandbox Company US Custom Numbers', country: 'US', offeringSku: 'QuickBooks Online Advanced', customTxnNumbers: true },
];

/** The client id test tokens are issued to when none is configured. */
const TEST_CLIENT_ID = 'sandbox-test-client';

async function defaultParts(deps: { clock: SandboxClock }): Promise<SandboxParts> {
  const [{ SandboxStore }, { createApiRouter }, { createSandboxPagesRouter }] = await Promise.all([
    import('./store/sandbox-store.js'),
    import('./api/api-router.js'),
    import('./pages/pages-router.js'),
  ]);
  const store = new SandboxStore({ clock: deps.clock });
  return { store, apiRouter: createApiRouter({ store, clock: deps.clock }), pagesRouter: createSandboxPagesRouter({ store }) };
}

/** Saves the store, the registry and the clock to the state file after every change (debounced). */
function stateWriter(file: string, store: SandboxStoreApi, registry: OAuthRegistry, clock: SandboxClock, defaultRealmId: string): StateWriter {
  const { snapshot, onChange } = store;
  if (!snapshot || !onChange) throw new Error('this sandbox store cannot be saved to a state file');
  const writer = new StateWriter(file, () => ({
    version: STATE_VERSION,
    savedAt: new Date().toISOString(),
    clockMs: clock.nowMs(),
    defaultRealmId,
    store: snapshot.call(store),
    registry: registry.snapshot(),
  }));
  onChange.call(store, () => writer.schedule());
  registry.onChange(() => writer.schedule());
  return writer;
}

function clientPolicy(options: StartSandboxOptions): ClientPolicy {
  const policy: ClientPolicy = {};
  if (options.clientId !== undefined) policy.clientId = options.clientId;
  if (options.clientSecret !== undefined) policy.clientSecret = options.clientSecret;
  if (options.redirectUri !== undefined) policy.redirectUri = options.redirectUri;
  return policy;
}

/** The saved state to start from, or null (no state file, none saved yet, or reset). */
function savedState(options: StartSandboxOptions): SandboxState | null {
  if (options.stateFile === undefined) return null;
  if (options.resetState) removeState(options.stateFile);
  return readState(options.stateFile);
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const clock = new SandboxClock(options.timeScale ?? 1);
  const parts = await (options.parts ?? defaultParts)({ clock });
  const { store } = parts;
  const registry = new OAuthRegistry({ clock, refreshGraceMs: options.refreshGraceMs ?? DEFAULT_REFRESH_GRACE_MS });
  const saved = savedState(options);
  let defaultRealmId: string | null;
  if (saved) {
    if (!store.restore) throw new Error('this sandbox store cannot restore a saved state');
    store.restore(saved.store);
    registry.restore(saved.registry);
    if (saved.clockMs > clock.nowMs()) clock.advance(saved.clockMs - clock.nowMs());
    defaultRealmId = saved.defaultRealmId;
  } else {
    const created = (options.companies ?? DEFAULT_COMPANIES).map((company) =>
      store.createCompany(options.demoData && !/self-employed/i.test(company.offeringSku) ? { demoCustomers: true, ...company } : company));
    defaultRealmId = created[0]?.realmId ?? null;
  }
  const writer = options.stateFile === undefined ? null : stateWriter(options.stateFile, store, registry, clock, defaultRealmId ?? '');
  writer?.flush();

  const settings: SandboxSettings = { autoApprove: options.autoApprove ?? false, latencyMs: options.latencyMs ?? 0 };
  const policy = clientPolicy(options);
  const faults = new FaultRules();
  const log = new RequestLog(options.requestLogEntries);
  const limiter = new RealmLimiter(clock, { ...INTUIT_LIMITS, ...options.limits });
  const idempotencyStore = new IdempotencyStore();
  const control = new SandboxControl({
    store, clock, faults, log, limiter, registry, settings,
    idempotency: idempotencyStore,
    testClientId: options.clientId ?? TEST_CLIENT_ID,
  });

  const api = express.Router({ mergeParams: true });
  api.use(requestLogger({ log, clock }));
  api.use(bearerAuth({ registry, clock }));
  api.use(faultInjection({ rules: faults, clock }));
  api.use(rateLimits({ limiter, clock }));
  api.use(latency({ latencyMs: () => settings.latencyMs }));
  // minorversion is rewritten before idempotency so a replay is compared with what the handler saw.
  api.use(retiredMinorVersions());
  api.use(idempotency({ store: idempotencyStore, clock }));
  api.use(parts.apiRouter);

  const app = express();
  app.disable('x-powered-by');
  app.use(intuitTid());
  app.use(createAuthorizeRouter({
    registry, policy, store, clock,
    autoApprove: () => settings.autoApprove,
    defaultRealmId: () => defaultRealmId,
  }));
  app.use(createTokenRouter({ registry, policy }));
  app.use('/_control', createControlRouter(control));
  app.use('/v3/company/:realmId', api);
  if (parts.pagesRouter) app.use('/', parts.pagesRouter);

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store,
    clock,
    defaultRealmId: defaultRealmId ?? '',
    issueAccessToken: (realmId) => control.issueAccessToken(realmId),
    control,
    close: () =>
      new Promise((resolve, reject) => {
        writer?.flush();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
