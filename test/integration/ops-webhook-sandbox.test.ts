import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createWorkApp, QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import type { DeliveryReport } from '../../dev/qbo-sandbox/webhooks/webhook-delivery';
import { testPluginOptions } from '../support/plugin-options';
import { testKnex, truncateAll } from '../support/test-database';
import { countRows, insertConnection, signIntuit } from './ops-support';
import { startTestSandbox } from './sandbox-test-support';

const VERIFIER = 'sandbox-verifier-token-7d1e';
const ACCOUNT = 'acct-sandbox-hooks';

/** The sandbox's webhook sender, driven through its control API, delivering to the plugin in the Work stand-in. */
describe('webhooks delivered by the QBO sandbox to the plugin in the Work stand-in', () => {
  let knex: Knex;
  let sandbox: RunningSandbox;
  let server: http.Server;
  let webhookUrl: string;
  let stopPlugin: () => Promise<void>;

  before(async () => {
    knex = await testKnex();
    await truncateAll();
    sandbox = await startTestSandbox();
    await insertConnection(knex, ACCOUNT, sandbox.defaultRealmId);
    const work = await createWorkApp({
      knex,
      sessionSecret: 'webhook-test-secret',
      pluginOptions: testPluginOptions({ webhookVerifierToken: VERIFIER }),
      logError: () => undefined,
    });
    stopPlugin = () => work.plugin.stop();
    server = http.createServer(work.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${QUICKBOOKS_SETTINGS_PATH}/webhooks`;
  });
  after(async () => {
    await stopPlugin();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sandbox.close();
  });

  async function deliver(body: Record<string, unknown>): Promise<DeliveryReport> {
    const response = await fetch(`${sandbox.baseUrl}/_control/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: webhookUrl, ...body }),
    });
    expect(response.status).to.equal(200);
    return (await response.json()) as DeliveryReport;
  }

  it('accepts a genuine legacy delivery (no Work login, no CSRF token) and stores its events with a pull request', async () => {
    const report = await deliver({
      verifierToken: VERIFIER,
      format: 'legacy',
      events: [{ realmId: sandbox.defaultRealmId, name: 'Customer', id: '58', operation: 'Update' }],
    });
    expect(report.status, report.responseBody).to.equal(200);
    const row = await knex('qbo_webhook_events').where({ entity_id: '58' }).first();
    expect(row).to.include({ account_id: ACCOUNT, status: 'accepted', format: 'legacy', entity: 'Customer', operation: 'Update' });
    expect(await countRows(knex, 'qbo_pull_requests')).to.equal(1);
  });

  it('accepts a genuine CloudEvents delivery, and the same delivery repeated is not stored twice', async () => {
    const event = { realmId: sandbox.defaultRealmId, name: 'Invoice', id: '130', operation: 'Void' as const };
    const report = await deliver({ verifierToken: VERIFIER, format: 'cloudevents', events: [event] });
    expect(report.status, report.responseBody).to.equal(200);
    const row = await knex('qbo_webhook_events').where({ entity_id: '130' }).first();
    expect(row).to.include({ format: 'cloudevents', entity: 'Invoice', operation: 'Void' });
    // Re-post the exact bytes the sandbox sent, with its signature, as Intuit's retry would.
    const before = await countRows(knex, 'qbo_webhook_events');
    const retry = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'intuit-signature': signIntuit(report.sentBody, VERIFIER) },
      body: report.sentBody,
    });
    expect(retry.status).to.equal(200);
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(before);
  });

  it('refuses a delivery signed with another verifier token (401) and stores nothing', async () => {
    const before = await countRows(knex, 'qbo_webhook_events');
    const report = await deliver({
      verifierToken: 'someone-elses-token',
      format: 'legacy',
      events: [{ realmId: sandbox.defaultRealmId, name: 'Customer', id: '77', operation: 'Create' }],
    });
    expect(report.status).to.equal(401);
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(before);
  });
});
