/**
 * One public address: Intuit returns the browser to the configured redirect URI only, so Connect pressed at
 * another address of Work (127.0.0.1 instead of localhost) is stopped before Intuit with a notice naming both
 * addresses and linking to the right one. And every notice shows once (post/redirect/get), not on reload.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import { register, type PluginHandle } from '../../plugin/index';
import { CONNECT_NOTICES } from '../../plugin/messages';
import { testPluginOptions } from '../support/plugin-options';
import { createScratchDatabase } from '../support/test-database';
import { asAdmin, createTestHost } from '../support/test-host';

const MOUNT = '/settings/integrations/quickbooks';
const PUBLIC = 'http://localhost:3000';
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

describe('settings page: one public address, notices shown once', () => {
  let knex: Knex;
  let plugin: PluginHandle;
  let agent: ReturnType<typeof request.agent>;
  let app: ReturnType<typeof createTestHost>['app'];

  before(async () => {
    ({ knex } = await createScratchDatabase());
  });

  beforeEach(async () => {
    const test = createTestHost(knex);
    plugin = register(test.host, testPluginOptions({ redirectUri: `${PUBLIC}${MOUNT}/callback`, authorizeUrl: 'http://127.0.0.1:9/connect/oauth2' }));
    await plugin.start();
    await knex.raw('TRUNCATE qbo_oauth_states');
    app = test.app;
    agent = request.agent(app);
  });

  afterEach(async () => {
    await plugin.stop();
  });

  async function pressConnect(origin: string | null): Promise<request.Response> {
    const page = await agent.get(`${MOUNT}/`).set(asAdmin('A')).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const post = agent.post(`${MOUNT}/connect`).set(asAdmin('A')).type('form');
    return (origin ? post.set('Origin', origin) : post).send({ _csrf: csrf }).expect(303);
  }

  const settingsPage = async () => (await agent.get(`${MOUNT}/?notice=other_address`).set(asAdmin('A')).expect(200)).text;

  it('stops Connect pressed at 127.0.0.1 when Work is configured at localhost, naming both and linking to the right one', async () => {
    const res = await pressConnect('http://127.0.0.1:3000');
    expect(res.headers['location']).to.equal(`${MOUNT}/?notice=other_address`);
    expect(await knex('qbo_oauth_states').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
    const page = await settingsPage();
    expect(page).to.contain('You are using Work at http://127.0.0.1:3000, but QuickBooks sends you back to http://localhost:3000');
    expect(page).to.contain(`<a href="${PUBLIC}${MOUNT}/" id="notice-link">`);
    expect(page).not.to.contain(html(CONNECT_NOTICES.state_other_session.text));
  });

  it('sends the browser to Intuit when it is at the configured address (or sends no Origin)', async () => {
    for (const origin of [PUBLIC, 'http://LOCALHOST:3000', null]) {
      const res = await pressConnect(origin);
      expect(String(res.headers['location']), String(origin)).to.match(/^http:\/\/127\.0\.0\.1:9\/connect\/oauth2\?/);
    }
    expect(await knex('qbo_oauth_states').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '3' }]);
  });

  it('shows a notice once: a reload of the same address shows it no more', async () => {
    await pressConnect('http://127.0.0.1:3000');
    expect(await settingsPage()).to.contain('id="notice"');
    expect(await settingsPage()).not.to.contain('id="notice"');
  });

  it('shows nothing for a notice named only in the URL or a forged or malformed notice cookie', async () => {
    expect(await settingsPage()).not.to.contain('id="notice"');
    for (const cookie of ['qbo_notice=nonsense', 'qbo_notice=other_address%20javascript%3Aalert(1)', 'qbo_notice=%E0%A4%A', 'qbo_notice=toString']) {
      const res = await request(app).get(`${MOUNT}/`).set(asAdmin('A')).set('Cookie', cookie).expect(200);
      if (cookie.includes('other_address')) expect(res.text, cookie).not.to.contain('javascript');
      else expect(res.text, cookie).not.to.contain('id="notice"');
    }
  });
});
