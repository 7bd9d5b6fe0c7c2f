/**
 * Shared by the connect-sandbox*.test.ts files (not a test file): the Work stand-in with the plugin mounted,
 * listening on a real port, talking over HTTP to the QBO sandbox, on a real PostgreSQL database; and a small
 * browser (cookie jar, manual redirects, HTML forms) that drives both like a person would.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import { createWorkApp, QUICKBOOKS_SETTINGS_PATH, type WorkApp } from '../../dev/host/app';
import { migrateWork } from '../../dev/host/migrate';
import type { CompanySummary } from '../../dev/qbo-sandbox/contracts';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import type { PluginOptions } from '../../plugin/index';
import type { ConnectionRow } from '../../plugin/persistence/connection-repository';
import { tokenContext } from '../../plugin/qbo/token-store';
import { BLUEBIRD, NORTHWIND, SEED_ACCOUNTS } from '../../seeds/demo-accounts';
import { seedWork } from '../../seeds/work-seed';
import { createScratchDatabase } from '../support/test-database';

export const MOUNT = QUICKBOOKS_SETTINGS_PATH;
export const CLIENT_ID = 'work-sandbox-client';
export const CLIENT_SECRET = crypto.randomBytes(18).toString('base64url');
const KEY_ID = 'it1';
const KEY = crypto.randomBytes(32).toString('base64');

/** A text as ejs prints it with <%= %>. */
export const asHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

const decodeEntities = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

// ---------------------------------------------------------------------------------------------------------
// The browser

export interface Answer {
  url: string;
  status: number;
  location: string | null;
  text: string;
}

interface Cookie {
  host: string;
  path: string;
  name: string;
  value: string;
}

/**
 * Just enough of a browser: cookies per host (not per port, as browsers do) and path, redirects followed by
 * hand so each hop can be inspected, and every URL and body it saw kept for the leak checks.
 */
export class Browser {
  private cookies: Cookie[] = [];
  readonly seen: Answer[] = [];

  async get(url: string): Promise<Answer> {
    return this.request(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Answer> {
    return this.request(url, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** GET `url` and follow every redirect (across origins), returning each hop. */
  async follow(url: string, max = 10): Promise<Answer[]> {
    const hops: Answer[] = [];
    let next: string | null = url;
    while (next !== null) {
      if (hops.length === max) throw new Error(`more than ${max} redirects from ${url}`);
      const answer = await this.get(next);
      hops.push(answer);
      next = answer.location;
    }
    return hops;
  }

  private async request(url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<Answer> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    const response = await fetch(target, { method: init.method, headers, redirect: 'manual', ...(init.body === undefined ? {} : { body: init.body }) });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    const location = response.headers.get('location');
    const answer: Answer = { url: target.toString(), status: response.status, location: location ? new URL(location, target).toString() : null, text: await response.text() };
    this.seen.push(answer);
    return answer;
  }

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => c.host === url.hostname && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attr('path') ?? '/';
    const expired = attr('max-age') === '0' || (attr('expires') !== undefined && new Date(attr('expires') ?? '').getTime() < Date.now());
    this.cookies = this.cookies.filter((c) => !(c.host === url.hostname && c.name === name && c.path === path));
    if (!expired) this.cookies.push({ host: url.hostname, path, name, value });
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTML forms, read the way a browser reads them

export interface HtmlForm {
  action: string;
  fields: Record<string, string>;
  radios: { name: string; value: string; label: string; checked: boolean }[];
  buttons: { name: string; value: string; text: string }[];
}

const attrOf = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? null : decodeEntities(m[1]);
};

/** The form with `id` (or the first form) of a page: its action resolved against the page URL. */
export function parseForm(page: Answer, id?: string): HtmlForm {
  const forms = [...page.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const found = id === undefined ? forms[0] : forms.find((f) => attrOf(f[1] ?? '', 'id') === id);
  if (!found) throw new Error(`no form${id ? ` #${id}` : ''} on ${page.url}`);
  const body = found[2] ?? '';
  const form: HtmlForm = { action: new URL(attrOf(found[1] ?? '', 'action') ?? page.url, page.url).toString(), fields: {}, radios: [], buttons: [] };
  for (const m of body.matchAll(/<label>([\s\S]*?)<\/label>|<input\b([^>]*)>|<button\b([^>]*)>([\s\S]*?)<\/button>/g)) {
    if (m[1] !== undefined) {
      const input = /<input\b([^>]*)>/.exec(m[1]);
      if (input?.[1] && attrOf(input[1], 'type') === 'radio') {
        form.radios.push({
          name: attrOf(input[1], 'name') ?? '',
          value: attrOf(input[1], 'value') ?? '',
          label: decodeEntities(m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
          checked: /\schecked\b/.test(input[1]),
        });
      }
    } else if (m[2] !== undefined) {
      const type = attrOf(m[2], 'type') ?? 'text';
      const name = attrOf(m[2], 'name');
      if (name && type === 'hidden') form.fields[name] = attrOf(m[2], 'value') ?? '';
    } else if (m[3] !== undefined) {
      form.buttons.push({ name: attrOf(m[3], 'name') ?? '', value: attrOf(m[3], 'value') ?? '', text: (m[4] ?? '').trim() });
    }
  }
  return form;
}

/** Submit a form: its hidden fields, the chosen radio (by label text) or the checked one, and the clicked button. */
export async function submitForm(browser: Browser, form: HtmlForm, choice: { radioLabel?: string; button: string }): Promise<Answer> {
  const data: Record<string, string> = { ...form.fields };
  const radioNames = new Set(form.radios.map((r) => r.name));
  for (const name of radioNames) {
    const options = form.radios.filter((r) => r.name === name);
    const picked = choice.radioLabel === undefined ? options.find((r) => r.checked) : options.find((r) => r.label.includes(choice.radioLabel ?? ''));
    if (choice.radioLabel !== undefined && !picked) throw new Error(`no option "${choice.radioLabel}" among ${options.map((r) => r.label).join(' | ')}`);
    if (picked) data[name] = picked.value;
  }
  const button = form.buttons.find((b) => b.text === choice.button);
  if (!button) throw new Error(`no button "${choice.button}" among ${form.buttons.map((b) => b.text).join(' | ')}`);
  if (button.name) data[button.name] = button.value;
  return browser.post(form.action, data);
}

// ---------------------------------------------------------------------------------------------------------
// The world: database, sandbox, the Work stand-in with the plugin

export interface World {
  knex: Knex;
  databaseUrl: string;
  sandbox: RunningSandbox;
  work: WorkApp;
  workUrl: string;
  /** Every line the plugin logged (pino JSON, level trace). */
  logLines: string[];
  /** Errors the stand-in reported as unexpected (500s). */
  errors: unknown[];
  accounts: { northwind: string; bluebird: string };
  companies: { usPlus: CompanySummary; caEssentials: CompanySummary; selfEmployed: CompanySummary };
  /** Options for more plugin instances on the same database and sandbox (other "processes"). */
  pluginOptions: PluginOptions;
  pluginClock: () => Date;
  logger: pino.Logger;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function companyOf(sandbox: RunningSandbox, sku: string): CompanySummary {
  const found = sandbox.control.listCompanies().find((c) => c.offeringSku === sku);
  if (!found) throw new Error(`the sandbox has no ${sku} company`);
  return found;
}

/**
 * Start everything: a fresh seeded database (Northwind and Bluebird, real users), the sandbox enforcing this
 * app's client id, secret and redirect URI, and the stand-in on a real port whose plugin uses the sandbox's
 * clock (so moving the sandbox clock moves the plugin's time too) and logs into `logLines`.
 */
export async function startWorld(options: { autoApprove?: boolean; pluginOptions?: Partial<PluginOptions> } = {}): Promise<World> {
  const { knex, url: databaseUrl } = await createScratchDatabase();
  await migrateWork(knex);
  await seedWork(knex);
  const server = http.createServer();
  const port = await listen(server);
  const workUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${workUrl}${MOUNT}/callback`;
  const sandbox = await startSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri, autoApprove: options.autoApprove ?? false });
  const logLines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }));
  const pluginClock = () => sandbox.clock.now();
  const pluginOptions: PluginOptions = {
    logLevel: 'trace',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri,
    authorizeUrl: `${sandbox.baseUrl}/connect/oauth2`,
    tokenUrl: `${sandbox.baseUrl}/oauth2/v1/tokens/bearer`,
    revokeUrl: `${sandbox.baseUrl}/v2/oauth2/tokens/revoke`,
    apiBaseUrl: sandbox.baseUrl,
    tokenEncryptionKeys: { [KEY_ID]: KEY },
    tokenEncryptionKeyId: KEY_ID,
    // Tests drive the sync themselves; the schedules' suites turn them on.
    syncJobs: false,
    ...options.pluginOptions,
  };
  const errors: unknown[] = [];
  const work = await createWorkApp({ knex, sessionSecret: crypto.randomBytes(16).toString('hex'), pluginOptions, pluginRuntime: { logger, clock: pluginClock }, logError: (e) => errors.push(e) });
  server.on('request', work.app);
  const accountId = async (name: string) => String((await knex('accounts').where({ name }).first('id') as { id: string }).id);
  let sandboxOpen = true;
  return {
    knex,
    databaseUrl,
    sandbox,
    work,
    workUrl,
    logLines,
    errors,
    accounts: { northwind: await accountId(NORTHWIND), bluebird: await accountId(BLUEBIRD) },
    companies: {
      usPlus: companyOf(sandbox, 'QuickBooks Online Plus'),
      caEssentials: companyOf(sandbox, 'QuickBooks Online Essentials'),
      selfEmployed: companyOf(sandbox, 'QuickBooks Self-Employed'),
    },
    pluginOptions,
    pluginClock,
    logger,
    async close() {
      await work.plugin.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (sandboxOpen) await sandbox.close().catch(() => undefined);
      sandboxOpen = false;
    },
  };
}

/** Close the sandbox in the middle of a test (the token endpoint becomes unreachable). */
export async function stopSandbox(world: World): Promise<void> {
  await world.sandbox.close();
}

/** Remove everything the plugin stored, between tests of one world. */
export async function resetPluginTables(knex: Knex): Promise<void> {
  await knex.raw('TRUNCATE qbo_connections, qbo_oauth_states, qbo_mappings RESTART IDENTITY');
}

// ---------------------------------------------------------------------------------------------------------
// What a person does

export const ADMINS = {
  northwind: SEED_ACCOUNTS[0]?.users.find((u) => u.isAdmin),
  bluebird: SEED_ACCOUNTS[1]?.users.find((u) => u.isAdmin),
};

export async function signIn(world: World, who: 'northwind' | 'bluebird'): Promise<Browser> {
  const user = ADMINS[who];
  if (!user) throw new Error('seed admin missing');
  return signInWith(world, user.email, user.password);
}

/** A new browser signed in through Work's login form. */
export async function signInWith(world: World, email: string, password: string): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.get(`${world.workUrl}/login`);
  const form = parseForm(login);
  const done = await browser.post(form.action, { ...form.fields, email, password });
  expect(done.status, 'login').to.equal(303);
  return browser;
}

export async function settingsPage(world: World, browser: Browser, path = `${MOUNT}/`): Promise<Answer> {
  const page = await browser.get(new URL(path, world.workUrl).toString());
  expect(page.status, `settings page ${path}`).to.equal(200);
  return page;
}

/**
 * Click "Connect" (or "Reconnect") on the settings page: returns the answer of Intuit's (the sandbox's)
 * authorize URL. `openTab` is a settings page loaded earlier (a second browser tab opened before the
 * account connected, whose button is still there); without it the page is loaded now.
 */
export async function clickConnect(world: World, browser: Browser, openTab?: Answer): Promise<{ authorizeUrl: URL; atIntuit: Answer }> {
  const page = openTab ?? (await settingsPage(world, browser));
  const form = parseForm(page, 'connect-form');
  const started = await browser.post(form.action, form.fields);
  expect(started.status, 'connect answer').to.equal(303);
  const authorizeUrl = new URL(started.location ?? '');
  expect(authorizeUrl.origin).to.equal(world.sandbox.baseUrl);
  return { authorizeUrl, atIntuit: await browser.get(authorizeUrl.toString()) };
}

/** At the sandbox's consent page pick a company by its name and click Connect (or Cancel). Returns the callback URL. */
export async function consent(consentPage: Answer, browser: Browser, choice: { company?: string; cancel?: boolean }): Promise<string> {
  expect(consentPage.status, 'consent page').to.equal(200);
  const form = parseForm(consentPage);
  const answer = await submitForm(browser, form, choice.cancel ? { button: 'Cancel' } : { ...(choice.company ? { radioLabel: choice.company } : {}), button: 'Connect' });
  expect(answer.status, 'consent answer').to.equal(302);
  return answer.location ?? '';
}

/** Follow Intuit's redirect back to the plugin's callback, then to the settings page. Returns the notice code and the page. */
export async function returnToWork(world: World, browser: Browser, callbackUrl: string): Promise<{ notice: string | null; page: Answer }> {
  expect(callbackUrl.startsWith(`${world.workUrl}${MOUNT}/callback?`), `callback URL ${callbackUrl}`).to.equal(true);
  const hops = await browser.follow(callbackUrl);
  const page = hops[hops.length - 1];
  if (!page) throw new Error('no answer');
  expect(page.status).to.equal(200);
  const notice = hops.length > 1 ? new URL(hops[hops.length - 2]?.location ?? '').searchParams.get('notice') : null;
  return { notice, page };
}

/** The whole connect through the consent page, picking a company by name. */
export async function connectCompany(world: World, browser: Browser, companyName: string): Promise<{ notice: string | null; page: Answer }> {
  const { atIntuit } = await clickConnect(world, browser);
  return returnToWork(world, browser, await consent(atIntuit, browser, { company: companyName }));
}

export async function connectionRow(world: World, accountId: string): Promise<ConnectionRow | null> {
  return (await world.knex<ConnectionRow>('qbo_connections').where({ account_id: accountId }).first()) ?? null;
}

/** Decrypt a stored token the way the plugin does (the test knows the key). */
export function storedToken(row: ConnectionRow, column: 'access' | 'refresh'): string {
  const cipher = TokenCipher.fromBase64({ [KEY_ID]: KEY }, KEY_ID);
  const enc = column === 'access' ? row.access_token_enc : row.refresh_token_enc;
  if (!enc) throw new Error(`no ${column} token stored`);
  return cipher.decrypt(enc, tokenContext(row.realm_id, column));
}

// ---------------------------------------------------------------------------------------------------------
// Asking the sandbox directly (as Intuit would answer anyone holding the token)

export async function apiStatus(world: World, realmId: string, accessToken: string): Promise<number> {
  const response = await fetch(`${world.sandbox.baseUrl}/v3/company/${realmId}/companyinfo/${realmId}?minorversion=75`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  await response.arrayBuffer();
  return response.status;
}

export async function refreshAtSandbox(world: World, refreshToken: string): Promise<{ status: number; error: string | null }> {
  const response = await fetch(`${world.sandbox.baseUrl}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error ?? null };
}

/** Revoke a grant at the sandbox behind the plugin's back (as the company's admin disconnecting the app). */
export async function revokeAtSandbox(world: World, token: string): Promise<void> {
  const response = await fetch(`${world.sandbox.baseUrl}/v2/oauth2/tokens/revoke`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(response.status).to.equal(200);
}

// ---------------------------------------------------------------------------------------------------------
// Leak checks

/** Every value of every row of every table, as text. */
export async function databaseText(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { tablename: string }[] }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  const parts: string[] = [];
  for (const { tablename } of rows) {
    const dump = await knex.raw<{ rows: { row: string }[] }>(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
    parts.push(...dump.rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/**
 * No access or refresh token the sandbox issued appears in any page, URL or redirect the browsers saw, in
 * the plugin's log, in an error the stand-in reported, or in the database; the authorization codes and the
 * client secret appear in no page body, log line or error. Returns how many tokens were checked.
 */
export async function expectNoSecretsLeaked(world: World, browsers: Browser[], extra: string[] = []): Promise<number> {
  const issued = world.sandbox.control.issuedSecrets();
  const tokens = issued.filter((s) => s.kind !== 'code').map((s) => s.value);
  const codes = issued.filter((s) => s.kind === 'code').map((s) => s.value);
  const seen = browsers.flatMap((b) => b.seen);
  const bodies = seen.map((a) => a.text);
  const urls = seen.flatMap((a) => [a.url, a.location ?? '']);
  const errors = world.errors.map((e) => (e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)));
  const logs = world.logLines.join('\n');
  const db = await databaseText(world.knex);
  const everywhere = [...bodies, ...urls, logs, ...errors, ...extra, db].join('\n');
  for (const token of tokens) expect(everywhere.includes(token), 'an issued token leaked').to.equal(false);
  // A code travels in Intuit's redirect (its Location and "Redirecting to" body): only Work's pages count.
  const places: [string, string][] = [
    ...seen.filter((a) => a.url.startsWith(world.workUrl)).map((a): [string, string] => [`the page of ${new URL(a.url).pathname}`, a.text]),
    ['the plugin log', logs],
    ['a reported error', errors.join('\n')],
    ['the extra texts', extra.join('\n')],
    ['the database', db],
  ];
  for (const code of codes) {
    const where = places.find(([, text]) => text.includes(code))?.[0];
    expect(where ?? null, 'an authorization code leaked').to.equal(null);
  }
  expect(everywhere.includes(CLIENT_SECRET), 'the client secret leaked').to.equal(false);
  return tokens.length;
}

/** A separate knex pool on the world's database, named so its backends can be found in pg_stat_activity. */
export function separatePool(world: World, applicationName: string): Knex {
  return knexFactory({ client: 'pg', connection: { connectionString: world.databaseUrl, application_name: applicationName }, pool: { min: 0, max: 2 } });
}

export interface ConnectSuite {
  /** The suite's world, started in its `before` hook. */
  readonly world: World;
  /** Sign in as a seeded account's admin; the browser is checked for leaked secrets after the test. */
  admin(who: 'northwind' | 'bluebird'): Promise<Browser>;
  /** Check another browser for leaked secrets after the test too. */
  watch(browser: Browser): Browser;
}

/**
 * The hooks every connect-through-the-stand-in suite shares: one world per suite; clean plugin tables and
 * sandbox logs before each test; after each test, no error in the stand-in and no secret in anything the
 * test's browsers saw.
 */
export function useConnectWorld(): ConnectSuite {
  let world: World | undefined;
  let browsers: Browser[] = [];
  const started = (): World => {
    if (!world) throw new Error('the connect world starts in the suite\'s before hook');
    return world;
  };
  before(async () => {
    world = await startWorld();
  });
  after(() => world?.close());
  beforeEach(async () => {
    await resetPluginTables(started().knex);
    started().sandbox.control.clearRequests();
    started().sandbox.control.clearOAuthCalls();
    browsers = [];
  });
  afterEach(async () => {
    expect(started().errors, 'unexpected errors in the stand-in').to.deep.equal([]);
    await expectNoSecretsLeaked(started(), browsers);
  });
  return {
    get world() {
      return started();
    },
    async admin(who) {
      return this.watch(await signIn(started(), who));
    },
    watch(browser) {
      browsers.push(browser);
      return browser;
    },
  };
}
