import { expect } from 'chai';
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import pino from 'pino';
import type { Clock } from '../../plugin/qbo/clock';
import { createQboHttpClient } from '../../plugin/qbo/create-client';
import { QboHttpClient, type QboHttpClientDeps } from '../../plugin/qbo/http-client';
import { QboAuthenticationError, QboDuplicateNameError, QboError, QboServiceError, QboValidationError } from '../../plugin/qbo/errors';
import { QboRateLimiter } from '../../plugin/qbo/rate-limiter';
import { MAX_ATTEMPTS, THROTTLE_BACKOFF_MS } from '../../plugin/qbo/retry-policy';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { FakeTokenProvider, QboFakeServer, replyFromRecording, serviceUnavailableReply, throttledReply } from '../support/qbo-fake-server';
import { loadRecording } from '../support/recordings';
import { testKnex } from '../support/test-database';

/**
 * The QBO http client over real HTTP (a loopback server answering with recorded QuickBooks bodies) and a
 * real PostgreSQL for write intents. Only the wait between retries is faked (sleep records and returns),
 * so a 60 s throttle back-off costs nothing. To run these against the team's sandbox later, replace
 * QboFakeServer with the sandbox's fault-injection controls; the assertions stay.
 */

class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  now(): number {
    return Date.now();
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return Promise.resolve();
  }
}

function newRealmId(): string {
  return String(crypto.randomInt(1, 2 ** 47));
}

interface Harness {
  server: QboFakeServer;
  client: QboHttpClient;
  tokens: FakeTokenProvider;
  intents: WriteIntentRepository;
  clock: RecordingClock;
  logs: string[];
  realmId: string;
}

describe('QBO http client over HTTP', () => {
  let h: Harness;

  async function harness(overrides: Partial<QboHttpClientDeps> = {}): Promise<Harness> {
    const server = await QboFakeServer.start();
    const tokens = new FakeTokenProvider();
    const intents = new WriteIntentRepository(await testKnex());
    const clock = new RecordingClock();
    const logs: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
    const client = new QboHttpClient({
      tokens,
      writeIntents: intents,
      limiter: new QboRateLimiter(),
      logger,
      apiBaseUrl: server.baseUrl,
      clock,
      random: () => 0,
      timeoutMs: 2_000,
      ...overrides,
    });
    return { server, client, tokens, intents, clock, logs, realmId: newRealmId() };
  }

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.server.stop();
  });

  it('reads with minorversion=75, Accept: application/json and the Bearer token, and returns the recorded body', async () => {
    const rec = loadRecording('customer-read--1.json');
    h.server.enqueue(replyFromRecording(rec));
    const res = await h.client.get(h.realmId, ['customer', '68']);
    expect(res.body).to.deep.equal(rec.response.body);
    expect(res.intuitTid).to.equal(rec.response.headers['intuit_tid']);
    const [sent] = h.server.requests;
    expect(sent?.path).to.equal(`/v3/company/${h.realmId}/customer/68`);
    expect(sent?.query).to.deep.equal({ minorversion: '75' });
    expect(sent?.accept).to.equal('application/json');
    expect(sent?.authorization).to.equal(`Bearer ${h.tokens.currentToken}`);
  });

  it('sends a query statement URL-encoded, apostrophe escaped', async () => {
    const rec = loadRecording('query-escaping--2.json');
    h.server.enqueue(replyFromRecording(rec));
    await h.client.query(h.realmId, "SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'");
    expect(h.server.requests[0]?.query['query']).to.equal(rec.request.query?.['query']);
  });

  it('retries a write whose connection dropped after it was applied with the SAME requestid, applying it once', async () => {
    const rec = loadRecording('customer-create--3.json');
    const knex = await testKnex();
    const storedBeforeSend: (string | undefined)[] = [];
    h.server.onRequest = async (request) => {
      const row = await knex('qbo_write_intents').where({ realm_id: h.realmId, request_id: request.requestId }).first<{ op_key: string } | undefined>();
      storedBeforeSend.push(row?.op_key);
    };
    h.server.enqueue(replyFromRecording(rec, { action: 'drop-after-apply' }));

    const res = await h.client.post(h.realmId, ['customer'], { DisplayName: 'Boraski Family Store' }, { operationKey: 'client:create:42:1' });

    expect(h.server.requests).to.have.length(2);
    const [first, second] = h.server.requests;
    expect(first?.requestId).to.be.a('string').with.length(36);
    expect(second?.requestId).to.equal(first?.requestId);
    expect(second?.replayed).to.equal(true);
    expect(h.server.appliedWrites).to.have.length(1);
    expect(storedBeforeSend, 'the requestid was committed before the first send').to.deep.equal(['client:create:42:1', 'client:create:42:1']);
    expect(res.requestId).to.equal(first?.requestId);
    expect(res.attempts).to.equal(2);
    expect(res.body).to.deep.equal(rec.response.body);
    const intent = await h.intents.find(h.realmId, 'client:create:42:1');
    expect(intent?.outcome).to.equal('applied');
    expect(h.clock.sleeps).to.have.length(1);
  });

  it('reuses the requestid of an operation across client instances (a restart after a lost answer)', async () => {
    h.server.enqueue(replyFromRecording(loadRecording('customer-create--1.json'), { action: 'drop-after-apply' }));
    const failing = new QboHttpClient({
      tokens: h.tokens,
      writeIntents: h.intents,
      limiter: new QboRateLimiter(),
      logger: pino({ level: 'silent' }),
      apiBaseUrl: h.server.baseUrl,
      clock: h.clock,
      maxAttempts: 1,
    });
    const lost = await failing.post(h.realmId, ['customer'], { DisplayName: 'X' }, { operationKey: 'client:create:7:3' }).catch((e: unknown) => e);
    expect(lost).to.be.instanceOf(QboError);
    expect((lost as QboError).outcomeUnknown).to.equal(true);

    await h.client.post(h.realmId, ['customer'], { DisplayName: 'X' }, { operationKey: 'client:create:7:3' });
    const [first, second] = h.server.requests;
    expect(h.server.requests).to.have.length(2);
    expect(first?.requestId).to.be.a('string');
    expect(second?.requestId).to.equal(first?.requestId);
    expect(second?.replayed).to.equal(true);
    expect(h.server.appliedWrites).to.have.length(1);
  });

  it('retries a write whose connection dropped before it was applied, same requestid, applied once', async () => {
    h.server.enqueue({ status: 200, action: 'drop-before-apply' }, replyFromRecording(loadRecording('invoice-create--1.json')));
    const res = await h.client.post(h.realmId, ['invoice'], { Line: [] }, { operationKey: 'invoice:create:9:1' });
    expect(res.attempts).to.equal(2);
    expect(new Set(h.server.requests.map((r) => r.requestId)).size).to.equal(1);
    expect(h.server.appliedWrites).to.have.length(1);
  });

  it('rides out a 429 burst, waiting about 60 s each time, and succeeds', async () => {
    h.server.enqueue(throttledReply(), throttledReply(), throttledReply(), replyFromRecording(loadRecording('customer-read--2.json')));
    const res = await h.client.get(h.realmId, ['customer', '5']);
    expect(res.attempts).to.equal(4);
    expect(h.clock.sleeps).to.have.length(3);
    for (const wait of h.clock.sleeps) expect(wait).to.be.at.least(THROTTLE_BACKOFF_MS);
  });

  it('backs off exponentially on 5xx and succeeds', async () => {
    h.server.enqueue(
      serviceUnavailableReply(),
      replyFromRecording(loadRecording('fault-10000-system-failure--1.json')),
      replyFromRecording(loadRecording('customer-read--2.json')),
    );
    const res = await h.client.get(h.realmId, ['customer', '5']);
    expect(res.attempts).to.equal(3);
    expect(h.clock.sleeps).to.deep.equal([500, 1000]);
  });

  it('gives up after MAX_ATTEMPTS sends and throws the typed error', async () => {
    for (let i = 0; i < MAX_ATTEMPTS + 2; i += 1) h.server.enqueue(serviceUnavailableReply());
    const error = await h.client.get(h.realmId, ['customer', '5']).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(QboServiceError);
    expect(h.server.requests).to.have.length(MAX_ATTEMPTS);
  });

  it('on 401 refreshes the token exactly once and retries with the new token', async () => {
    h.server.enqueue(replyFromRecording(loadRecording('fault-401-token-expired--1.json')), replyFromRecording(loadRecording('customer-read--2.json')));
    const oldToken = h.tokens.currentToken;
    const res = await h.client.get(h.realmId, ['customer', '5']);
    expect(res.attempts).to.equal(2);
    expect(h.tokens.refreshes).to.deep.equal([{ realmId: h.realmId, rejectedToken: oldToken }]);
    expect(h.server.requests.map((r) => r.authorization)).to.deep.equal([`Bearer ${oldToken}`, `Bearer ${h.tokens.currentToken}`]);
    expect(h.clock.sleeps).to.deep.equal([]);
  });

  it('does not refresh twice: a second 401 is thrown', async () => {
    const unauthorized = replyFromRecording(loadRecording('fault-401-token-expired--1.json'));
    h.server.enqueue(unauthorized, unauthorized, unauthorized);
    const error = await h.client.get(h.realmId, ['customer', '5']).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(QboAuthenticationError);
    expect(h.tokens.refreshes).to.have.length(1);
    expect(h.server.requests).to.have.length(2);
  });

  it('does not retry a validation fault and closes the write intent as rejected', async () => {
    const rec = loadRecording('fault-6240-duplicate-name--1.json');
    h.server.enqueue(replyFromRecording(rec));
    const error = await h.client.post(h.realmId, ['customer'], { DisplayName: 'Dup' }, { operationKey: 'client:create:1:1' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(QboDuplicateNameError);
    expect((error as QboError).intuitTid).to.equal(rec.response.headers['intuit_tid']);
    expect(h.server.requests).to.have.length(1);
    expect(h.server.appliedWrites).to.have.length(0);
    expect((await h.intents.find(h.realmId, 'client:create:1:1'))?.outcome).to.equal('rejected');
  });

  it('detects a fault inside an HTTP 200 and does not retry it', async () => {
    const rec = loadRecording('query-escaping-rejected--4.json');
    h.server.enqueue(replyFromRecording(rec));
    const error = await h.client.query(h.realmId, "SELECT * FROM Customer WHERE DisplayName = 'x'").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(QboValidationError);
    expect((error as QboError).code).to.equal('4000');
    expect((error as QboError).httpStatus).to.equal(200);
    expect(h.server.requests).to.have.length(1);
  });

  it('retries an unreadable 200 to a write under the same requestid instead of calling it rejected', async () => {
    h.server.enqueue({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>corporate proxy</html>', applies: false }, replyFromRecording(loadRecording('customer-create--1.json')));
    const res = await h.client.post(h.realmId, ['customer'], { DisplayName: 'Y' }, { operationKey: 'client:create:8:1' });
    expect(res.attempts).to.equal(2);
    expect(h.server.requests[1]?.requestId).to.equal(h.server.requests[0]?.requestId);
    expect(h.server.appliedWrites).to.have.length(1);
    expect((await h.intents.find(h.realmId, 'client:create:8:1'))?.outcome).to.equal('applied');
  });

  it('times out a hanging call and retries it with the same requestid', async () => {
    await h.server.stop();
    h = await harness({ timeoutMs: 200 });
    h.server.enqueue({ status: 200, action: 'hang' }, replyFromRecording(loadRecording('customer-create--1.json')));
    const res = await h.client.post(h.realmId, ['customer'], { DisplayName: 'Slow' }, { operationKey: 'client:create:5:1' });
    expect(res.attempts).to.equal(2);
    expect(h.server.requests[1]?.requestId).to.equal(h.server.requests[0]?.requestId);
  });

  it('logs intuit_tid with every failure and never the token', async () => {
    const rec = loadRecording('fault-401-token-expired--1.json');
    h.server.enqueue(replyFromRecording(rec), replyFromRecording(loadRecording('fault-2030-invalid-id--1.json')));
    const token = h.tokens.currentToken;
    await h.client.get(h.realmId, ['customer', '1']).catch(() => undefined);
    const text = h.logs.join('');
    expect(text).to.include(String(rec.response.headers['intuit_tid']));
    expect(text).to.include('1-5f733d63-44139ea355338a7d238f5e99');
    expect(text).not.to.include(token);
    expect(text).not.to.include(h.tokens.currentToken);
    expect(text).not.to.match(/Bearer/i);
  });

  it('never has more than 10 requests of one realm in flight (the limiter holds the rest)', async () => {
    const reply = { ...replyFromRecording(loadRecording('customer-read--2.json')), delayMs: 30 };
    for (let i = 0; i < 25; i += 1) h.server.enqueue(reply);
    const results = await Promise.all(Array.from({ length: 25 }, () => h.client.get(h.realmId, ['customer', '5'])));
    expect(results).to.have.length(25);
    expect(h.server.requests).to.have.length(25);
    expect(h.server.maxInFlight).to.equal(10);
  });

  it('is wired for production by createQboHttpClient (write intents in the given database)', async () => {
    const knex = await testKnex();
    const client = createQboHttpClient({ knex, tokens: h.tokens, logger: pino({ level: 'silent' }), apiBaseUrl: `${h.server.baseUrl}/` });
    h.server.enqueue(replyFromRecording(loadRecording('customer-create--1.json')));
    const res = await client.post(h.realmId, ['customer'], { DisplayName: 'Wired' }, { operationKey: 'client:create:99:1' });
    expect(h.server.requests[0]?.path).to.equal(`/v3/company/${h.realmId}/customer`);
    expect((await h.intents.find(h.realmId, 'client:create:99:1'))?.request_id).to.equal(res.requestId);
  });

  it('writes Decimal amounts as exact JSON numbers', async () => {
    h.server.enqueue(replyFromRecording(loadRecording('invoice-create--1.json')));
    await h.client.post(h.realmId, ['invoice'], { Line: [{ Amount: new Decimal('0.1').plus('0.2'), Qty: new Decimal('1.005') }] }, { operationKey: 'invoice:create:2:1' });
    expect(h.server.requests[0]?.body).to.equal('{"Line":[{"Amount":0.3,"Qty":1.005}]}');
    expect(h.server.requests[0]?.contentType).to.equal('application/json');
  });
});
