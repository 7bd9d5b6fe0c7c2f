import { expect } from 'chai';
import type { Knex } from 'knex';
import { testKnex, truncateAll } from '../support/test-database';
import {
  cloudEvent,
  countRows,
  insertConnection,
  legacyBody,
  postWebhook,
  signIntuit,
  startPlugin,
  type RunningPlugin,
} from './ops-support';

const REALM = '9130350000000101';
const OTHER_REALM = '9130350000000999';
const ACCOUNT = 'acct-webhooks';
const NOW = new Date('2026-12-01T12:00:00.000Z');
const DEBOUNCE_S = 60;

const entity = (id: string, operation = 'Update', lastUpdated = '2026-12-01T11:59:00.000Z') => ({ name: 'Customer', id, operation, lastUpdated });

describe('webhook receiver (real HTTP, real PostgreSQL)', () => {
  let knex: Knex;
  let plugin: RunningPlugin;
  let now: Date;

  beforeEach(async () => {
    knex = await testKnex();
    await truncateAll();
    await insertConnection(knex, ACCOUNT, REALM);
    now = NOW;
    plugin = await startPlugin(knex, { webhookDebounceSeconds: DEBOUNCE_S }, () => now);
  });
  afterEach(async () => {
    await plugin.close();
  });

  const logged = (fragment: string) => plugin.logs.filter((l) => l.msg.includes(fragment));

  it('stores a signed legacy body once per event and asks for one debounced pull, without any login', async () => {
    const answer = await postWebhook(plugin.baseUrl, legacyBody(REALM, [entity('58'), entity('59', 'Create')]));
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ received: 2, stored: 2, duplicates: 0 });
    const rows = await knex('qbo_webhook_events').orderBy('entity_id');
    expect(rows.map((r: Record<string, unknown>) => [r.account_id, r.status, r.format, r.entity, r.entity_id, r.operation])).to.deep.equal([
      [ACCOUNT, 'accepted', 'legacy', 'Customer', '58', 'Update'],
      [ACCOUNT, 'accepted', 'legacy', 'Customer', '59', 'Create'],
    ]);
    const pull = await knex('qbo_pull_requests').where({ account_id: ACCOUNT }).first();
    expect(pull.reason).to.equal('webhook');
    expect(pull.request_count).to.equal(1);
    expect(new Date(pull.due_at).getTime()).to.equal(NOW.getTime() + DEBOUNCE_S * 1000);
    expect(logged('QuickBooks webhook received')).to.have.length(1);
  });

  it('stores a signed CloudEvents body, mapping its type to entity and operation', async () => {
    const events = [cloudEvent(REALM, '123', { id: 'ce-1', type: 'qbo.customer.merged.v1' }), cloudEvent(REALM, '9', { id: 'ce-2', type: 'qbo.invoice.voided.v1' })];
    const answer = await postWebhook(plugin.baseUrl, JSON.stringify(events));
    expect(answer.status).to.equal(200);
    const rows = await knex('qbo_webhook_events').orderBy('dedupe_key');
    expect(rows.map((r: Record<string, unknown>) => [r.dedupe_key, r.format, r.entity, r.entity_id, r.operation])).to.deep.equal([
      ['ce|ce-1', 'cloudevents', 'Customer', '123', 'Merge'],
      ['ce|ce-2', 'cloudevents', 'Invoice', '9', 'Void'],
    ]);
    expect(await countRows(knex, 'qbo_pull_requests')).to.equal(1);
  });

  it('answers a replayed body 200 (Intuit retries), stores nothing twice and asks for no new pull', async () => {
    const raw = legacyBody(REALM, [entity('58')]);
    expect((await postWebhook(plugin.baseUrl, raw)).status).to.equal(200);
    // The same event with the time written differently is still the same event.
    const sameEvent = legacyBody(REALM, [entity('58', 'Update', '2026-12-01T11:59:00Z')]);
    const replay = await postWebhook(plugin.baseUrl, sameEvent);
    expect(replay.status).to.equal(200);
    expect(replay.body).to.include({ received: 1, stored: 0, duplicates: 1 });
    const ce = JSON.stringify([cloudEvent(REALM, '7', { id: 'ce-replayed' })]);
    await postWebhook(plugin.baseUrl, ce);
    expect((await postWebhook(plugin.baseUrl, ce)).body).to.include({ stored: 0, duplicates: 1 });
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(2);
    const pull = await knex('qbo_pull_requests').where({ account_id: ACCOUNT }).first();
    expect(pull.request_count).to.equal(2);
    expect(logged('already received')).to.have.length(2);
  });

  it('refuses a wrong, missing, malformed or forged signature with 401 and stores nothing', async () => {
    const raw = legacyBody(REALM, [entity('58')]);
    const wrongToken = await postWebhook(plugin.baseUrl, raw, { signature: signIntuit(raw, 'another-verifier-token') });
    const missing = await postWebhook(plugin.baseUrl, raw, { signature: null });
    const malformed = await postWebhook(plugin.baseUrl, raw, { signature: 'not base64 at all!' });
    const short = await postWebhook(plugin.baseUrl, raw, { signature: Buffer.from('short').toString('base64') });
    // Forged: a body changed after it was signed (another realm's event swapped in).
    const forged = await postWebhook(plugin.baseUrl, legacyBody(OTHER_REALM, [entity('58')]), { signature: signIntuit(raw) });
    expect([wrongToken.status, missing.status, malformed.status, short.status, forged.status]).to.deep.equal([401, 401, 401, 401, 401]);
    expect(wrongToken.body.message).to.match(/not valid for this body/);
    expect(missing.body.message).to.match(/missing/);
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(0);
    expect(await countRows(knex, 'qbo_pull_requests')).to.equal(0);
    const refusals = logged('intuit-signature is missing, malformed or does not match');
    expect(refusals.map((l) => l.signature)).to.deep.equal(['mismatch', 'missing', 'malformed', 'malformed', 'mismatch']);
    expect(JSON.stringify(plugin.logs)).not.to.include(signIntuit(raw));
  });

  it('refuses signed bodies that are not JSON or have the wrong shape with 400, storing nothing', async () => {
    const cases: [string, RegExp][] = [
      ['{"eventNotifications": [', /not valid JSON/],
      ['{"foo": 1}', /legacy body: eventNotifications/],
      [JSON.stringify({ eventNotifications: [{ realmId: REALM, dataChangeEvent: { entities: [{ name: 'Customer', id: '1', operation: 'Update', lastUpdated: 'yesterday' }] } }] }), /lastUpdated must be a date/],
      [JSON.stringify([{ ...cloudEvent(REALM, '1'), intuitaccountid: undefined }]), /CloudEvents body: 0\.intuitaccountid/],
      [JSON.stringify([{ ...cloudEvent(REALM, '1'), type: 'com.example.thing' }]), /type must look like qbo/],
      [JSON.stringify([]), /CloudEvents body/],
      ['"just a string"', /legacy body/],
      [JSON.stringify({ eventNotifications: [{ realmId: "1; DROP TABLE x", dataChangeEvent: { entities: [] } }] }), /realmId must be letters/],
    ];
    for (const [raw, message] of cases) {
      const answer = await postWebhook(plugin.baseUrl, raw);
      expect(answer.status, raw).to.equal(400);
      expect(String(answer.body.message), raw).to.match(message);
    }
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(0);
    expect(logged('signed body is not valid JSON')).to.have.length(1);
    expect(logged('signed body has the wrong shape')).to.have.length(cases.length - 1);
  });

  it('refuses an oversized body with 413 and a body that is not JSON with 415', async () => {
    const huge = legacyBody(REALM, Array.from({ length: 4000 }, (_, i) => entity(String(i))));
    expect(Buffer.byteLength(huge)).to.be.above(256 * 1024);
    const tooBig = await postWebhook(plugin.baseUrl, huge);
    expect(tooBig.status).to.equal(413);
    expect(logged('body larger than the limit')).to.have.length(1);
    const form = await postWebhook(plugin.baseUrl, 'realmId=1', { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).to.equal(415);
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(0);
  });

  it('stores an event for a realm no account has connected, marks it, and asks for no pull', async () => {
    const raw = JSON.stringify({
      eventNotifications: [
        { realmId: OTHER_REALM, dataChangeEvent: { entities: [entity('1')] } },
        { realmId: REALM, dataChangeEvent: { entities: [entity('2')] } },
      ],
    });
    const answer = await postWebhook(plugin.baseUrl, raw);
    expect(answer.status).to.equal(200);
    const unknown = await knex('qbo_webhook_events').where({ realm_id: OTHER_REALM });
    expect(unknown.map((r: Record<string, unknown>) => [r.status, r.account_id])).to.deep.equal([['unknown_realm', null]]);
    expect((await knex('qbo_pull_requests').select('account_id')).map((r: { account_id: string }) => r.account_id)).to.deep.equal([ACCOUNT]);
    expect(logged('no Work account has connected')[0]?.realms).to.deep.equal([OTHER_REALM]);
  });

  it('treats a disconnected company as unknown: nobody listens to it', async () => {
    await insertConnection(knex, 'acct-gone', OTHER_REALM, 'disconnected');
    await postWebhook(plugin.baseUrl, legacyBody(OTHER_REALM, [entity('5')]));
    expect((await knex('qbo_webhook_events').first()).status).to.equal('unknown_realm');
    expect(await countRows(knex, 'qbo_pull_requests')).to.equal(0);
  });

  it('debounces a flood of concurrent deliveries for one company into one pull request', async () => {
    const deliveries = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? legacyBody(REALM, [entity(String(1000 + i))]) : JSON.stringify([cloudEvent(REALM, String(1000 + i), { id: `flood-${i}` })]),
    );
    const answers = await Promise.all(deliveries.map((raw) => postWebhook(plugin.baseUrl, raw)));
    expect(answers.map((a) => a.status)).to.deep.equal(deliveries.map(() => 200));
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(40);
    const pulls = await knex('qbo_pull_requests');
    expect(pulls).to.have.length(1);
    expect(pulls[0].request_count).to.equal(40);
    expect(new Date(pulls[0].due_at).getTime()).to.equal(NOW.getTime() + DEBOUNCE_S * 1000);
    // Later events inside the window do not push the pull back: it is due one window after the first.
    now = new Date(NOW.getTime() + 30_000);
    await postWebhook(plugin.baseUrl, legacyBody(REALM, [entity('2000')]));
    const after = await knex('qbo_pull_requests').first();
    expect(new Date(after.due_at).getTime()).to.equal(NOW.getTime() + DEBOUNCE_S * 1000);
  });

  it('debounces across plugin instances (web processes) sharing the database: still one pull', async () => {
    const second = await startPlugin(knex, { webhookDebounceSeconds: DEBOUNCE_S }, () => now);
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postWebhook(i % 2 ? plugin.baseUrl : second.baseUrl, legacyBody(REALM, [entity(String(3000 + i))]))),
      );
      expect(answers.every((a) => a.status === 200)).to.equal(true);
    } finally {
      await second.close();
    }
    const pulls = await knex('qbo_pull_requests');
    expect(pulls.map((p: { account_id: string; request_count: number }) => [p.account_id, p.request_count])).to.deep.equal([[ACCOUNT, 20]]);
  });

  it('answers 503 and says why when no verifier token is configured', async () => {
    await plugin.close();
    plugin = await startPlugin(knex, { webhookVerifierToken: undefined }, () => now);
    const answer = await postWebhook(plugin.baseUrl, legacyBody(REALM, [entity('58')]));
    expect(answer.status).to.equal(503);
    expect(answer.body.message).to.match(/webhookVerifierToken is not set/);
    expect(logged('no webhookVerifierToken is set')).to.have.length(1);
    expect(await countRows(knex, 'qbo_webhook_events')).to.equal(0);
  });
});
