/**
 * Shared by the admin-pages-*.test.ts files (not a test file): the Work stand-in with the plugin on a real
 * port, the QBO sandbox beside it (from connect-sandbox-support), Northwind connected to the US company and
 * Bluebird to the Canadian one through the real consent flow, and supertest agents signed in through Work's
 * login form, talking real HTTP.
 */
import { expect } from 'chai';
import request from 'supertest';
import { SEED_ACCOUNTS } from '../../seeds/demo-accounts';
import { connectCompany, MOUNT, signIn as browserSignIn, startWorld, type World } from './connect-sandbox-support';
import { csrfFrom, type Agent } from './standin-web-support';

export { MOUNT };
export type { Agent };

export type Who = 'northwindAdmin' | 'northwindStaff' | 'bluebirdAdmin' | 'bluebirdStaff';

function seedUser(who: Who): { email: string; password: string } {
  const account = who.startsWith('northwind') ? SEED_ACCOUNTS[0] : SEED_ACCOUNTS[1];
  const user = account?.users.find((u) => u.isAdmin === who.endsWith('Admin'));
  if (!user) throw new Error(`no seeded ${who}`);
  return user;
}

/** A new agent (its own cookies) signed in through Work's login form. */
export async function agentFor(world: World, who: Who): Promise<Agent> {
  const agent = request.agent(world.workUrl);
  const login = await agent.get('/login').expect(200);
  const { email, password } = seedUser(who);
  await agent.post('/login').type('form').send({ _csrf: csrfFrom(login.text), email, password, next: '/clients' }).expect(303);
  return agent;
}

/** The plugin form's CSRF token on a page (the plugin's own token, not Work's). */
export function formToken(html: string, formId: string): string {
  const form = new RegExp(`<form[^>]*id="${formId}"[\\s\\S]*?</form>`).exec(html)?.[0];
  if (!form) throw new Error(`no form #${formId} on the page`);
  return csrfFrom(form);
}

/** The text of the page's status region (the notice the plugin shows), tags stripped, entities as ejs writes them. */
export function noticeOf(html: string): string | null {
  const m = /<div class="notice notice-\w+" id="notice">([^<]*)<\/div>/.exec(html);
  return m?.[1] ?? null;
}

export interface AdminPagesWorld {
  world: World;
}

/** One world per suite, Northwind → US Plus and Bluebird → CA Essentials, connected as admins do. */
export function useAdminPagesWorld(): AdminPagesWorld {
  let world: World | undefined;
  before(async function () {
    this.timeout(60_000);
    world = await startWorld({ autoApprove: false });
    const northwind = await browserSignIn(world, 'northwind');
    expect((await connectCompany(world, northwind, world.companies.usPlus.companyName)).notice).to.equal('connected');
    const bluebird = await browserSignIn(world, 'bluebird');
    expect((await connectCompany(world, bluebird, world.companies.caEssentials.companyName)).notice).to.equal('connected');
  });
  after(() => world?.close());
  afterEach(() => {
    expect(world?.errors, 'unexpected errors in the stand-in').to.deep.equal([]);
  });
  return {
    get world() {
      if (!world) throw new Error('the world starts in the suite\'s before hook');
      return world;
    },
  };
}
