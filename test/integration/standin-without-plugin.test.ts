import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import { createWorkApp, type WorkApp } from '../../dev/host/app';
import { testPluginOptions } from '../support/plugin-options';
import { testKnex, truncateAll } from '../support/test-database';
import { insertAccount, insertUser, someClient } from './standin-fixtures';
import { signIn } from './standin-web-support';

/** The hook-overhead benchmark's baseline: Work alone, built with loadPlugin: false. */
describe('the stand-in without the plugin (loadPlugin: false)', () => {
  let knex: Knex;
  let work: WorkApp;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    await truncateAll();
    work = await createWorkApp({ knex, sessionSecret: 'no-plugin-secret', pluginOptions: testPluginOptions(), loadPlugin: false });
  });

  it('saves records through the models and queues nothing for QuickBooks', async () => {
    const accountId = await insertAccount(knex, 'Alone Co');
    await work.models.clients.create(accountId, someClient);
    expect(await knex('clients').where({ account_id: accountId }).count<{ n: string }[]>({ n: '*' }).first()).to.deep.equal({ n: '1' });
    expect(await knex('qbo_outbox').count<{ n: string }[]>({ n: '*' }).first()).to.deep.equal({ n: '0' });
  });

  it('has no QuickBooks settings page (404) while Work’s own pages work', async () => {
    const accountId = await insertAccount(knex, 'Alone Co');
    const admin = await insertUser(knex, accountId, { email: 'admin@alone.test', isAdmin: true });
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    await agent.get('/clients').expect(200);
    await agent.get('/settings/integrations/quickbooks').expect(404);
  });

  it('says so clearly when asked for what only a loaded plugin has', async () => {
    expect(() => work.plugin.tokens).to.throw('the plugin is not loaded in this stand-in (loadPlugin: false)');
    expect(() => work.plugin.isPaused('1')).to.throw('the plugin is not loaded');
    await work.plugin.stop();
  });
});
