/**
 * The bad-input suite's world: a seeded scratch PostgreSQL, the QBO sandbox, the Work stand-in with the plugin
 * on a real port (webhooks and the ops route switched on), Northwind connected to the sandbox's US company and
 * Bluebird to the Canadian one through the real consent flow; and one small HTTP client per user.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { SEED_ACCOUNTS } from '../../seeds/demo-accounts';
import { connectCompany, MOUNT, signIn as signInBrowser, startWorld, type World } from '../integration/connect-sandbox-support';

export { MOUNT };
export const VERIFIER_TOKEN = 'badinput-verifier-token-7c1e-0a9f4b2d';
export const OPS_TOKEN = 'badinput-ops-token-52d9-e81c77a3f0';

export interface Answer {
  status: number;
  location: string | null;
  contentType: string;
  text: string;
}

/** Real HTTP with a cookie jar (one host), redirects not followed so every hop can be checked. */
export class Client {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send('GET', path, undefined, headers);
  }

  postForm(path: string, form: Record<string, string> | URLSearchParams): Promise<Answer> {
    const body = form instanceof URLSearchParams ? form : new URLSearchParams(form);
    return this.send('POST', path, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  async send(method: string, path: string, body?: string | Buffer | Uint8Array | FormData, headers: Record<string, string> = {}): Promise<Answer> {
    const all: Record<string, string> = { accept: 'text/html', ...headers };
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) all.cookie = cookie;
    const response = await fetch(new URL(path, this.baseUrl), { method, headers: all, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get('location'), contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }
}

export type Who = 'northwindAdmin' | 'northwindStaff' | 'bluebirdAdmin' | 'bluebirdStaff';

export interface BadInputWorld {
  world: World;
  knex: Knex;
  baseUrl: string;
  accounts: { northwind: string; bluebird: string };
  clients: Record<Who | 'anonymous', Client>;
  /** Secrets that must never appear in any answer. */
  secrets: string[];
}

/** The Work CSRF token of a page's form. */
export function csrfOf(html: string, formId?: string): string {
  const scope = formId === undefined ? html : new RegExp(`<form[^>]*id="${formId}"[\\s\\S]*?</form>`).exec(html)?.[0] ?? '';
  const m = /name="_csrf" value="([^"]+)"/.exec(scope);
  if (!m?.[1]) throw new Error(`no CSRF token${formId ? ` in form #${formId}` : ''} on the page`);
  return m[1];
}

async function signedIn(baseUrl: string, who: Who): Promise<Client> {
  const account = who.startsWith('northwind') ? SEED_ACCOUNTS[0] : SEED_ACCOUNTS[1];
  const user = account?.users.find((u) => u.isAdmin === who.endsWith('Admin'));
  if (!user) throw new Error(`no seeded ${who}`);
  const client = new Client(baseUrl);
  const login = await client.get('/login');
  const done = await client.postForm('/login', { _csrf: csrfOf(login.text), email: user.email, password: user.password, next: '/clients' });
  expect(done.status, `${who} signs in`).to.equal(303);
  return client;
}

export async function startBadInputWorld(): Promise<BadInputWorld> {
  const world = await startWorld({ autoApprove: false, pluginOptions: { webhookVerifierToken: VERIFIER_TOKEN, opsToken: OPS_TOKEN } });
  const northwind = await signInBrowser(world, 'northwind');
  expect((await connectCompany(world, northwind, world.companies.usPlus.companyName)).notice).to.equal('connected');
  const bluebird = await signInBrowser(world, 'bluebird');
  expect((await connectCompany(world, bluebird, world.companies.caEssentials.companyName)).notice).to.equal('connected');
  const clients = {
    anonymous: new Client(world.workUrl),
    northwindAdmin: await signedIn(world.workUrl, 'northwindAdmin'),
    northwindStaff: await signedIn(world.workUrl, 'northwindStaff'),
    bluebirdAdmin: await signedIn(world.workUrl, 'bluebirdAdmin'),
    bluebirdStaff: await signedIn(world.workUrl, 'bluebirdStaff'),
  };
  const secrets = [VERIFIER_TOKEN, OPS_TOKEN, world.pluginOptions.clientSecret, ...Object.values(world.pluginOptions.tokenEncryptionKeys)];
  return { world, knex: world.knex, baseUrl: world.workUrl, accounts: world.accounts, clients, secrets };
}
