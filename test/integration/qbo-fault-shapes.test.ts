import { expect } from 'chai';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import pino from 'pino';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { runBatch } from '../../plugin/qbo/batch';
import { createCustomer } from '../../plugin/qbo/entities/customer';
import { QboError } from '../../plugin/qbo/errors';
import { QboHttpClient } from '../../plugin/qbo/http-client';
import { QboRateLimiter } from '../../plugin/qbo/rate-limiter';
import { FakeTokenProvider, QboFakeServer } from '../support/qbo-fake-server';
import { testKnex } from '../support/test-database';

/**
 * Issue 14, defect 6: an HTTP 200 whose body carries a top-level Fault (or fault) key in a shape the strict
 * schema does not know (Error as an object, a type without errors, an empty Error list) is a failure, over
 * HTTP, and the write intent is never marked applied. The loopback server plays the malformed bodies (the
 * sandbox only sends well-formed faults); the write intents are in PostgreSQL.
 */
describe('malformed fault bodies in HTTP 200 answers (issue 14, defect 6)', () => {
  let server: QboFakeServer;
  let knex: Knex;
  let client: QboHttpClient;
  const realmId = String(crypto.randomInt(1, 2 ** 47));

  beforeEach(async () => {
    server = await QboFakeServer.start();
    knex = await testKnex();
    client = new QboHttpClient({
      tokens: new FakeTokenProvider(),
      writeIntents: new WriteIntentRepository(knex),
      limiter: new QboRateLimiter(),
      logger: pino({ level: 'silent' }),
      apiBaseUrl: server.baseUrl,
      clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
    });
  });
  afterEach(() => server.stop());

  const shapes: [string, unknown, string, string][] = [
    ['an Error object instead of a list', { Fault: { Error: { Message: 'Duplicate Name Exists Error', Detail: 'The name supplied already exists.', code: '6240' }, type: 'ValidationFault' }, time: 'x' }, 'duplicate-name', '6240'],
    ['a type without errors', { Fault: { type: 'SystemFault' }, time: 'x' }, 'service', ''],
    ['an empty Error list', { Fault: { Error: [], type: 'ValidationFault' } }, 'validation', ''],
    ['a lower-case fault with an error object', { fault: { error: { message: 'message=Oops', code: '2020' }, type: 'ValidationFault' } }, 'validation', '2020'],
  ];

  for (const [what, body, kind, code] of shapes) {
    it(`reads ${what} as a failure and never marks the write applied`, async () => {
      server.enqueue(...Array.from({ length: 5 }, () => ({ status: 200, body, applies: false })));
      const opKey = `test:fault-shape:${crypto.randomUUID()}`;
      const error = await createCustomer(client, realmId, { DisplayName: 'Shape' }, opKey).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(QboError);
      expect((error as QboError).kind).to.equal(kind);
      expect((error as QboError).code).to.equal(code);
      expect((await new WriteIntentRepository(knex).find(realmId, opKey))?.outcome).to.not.equal('applied');
    });
  }

  it('reads a batch item carrying a malformed fault as a failed item', async () => {
    server.enqueue({ status: 200, body: { BatchItemResponse: [{ bId: 'q1', Fault: { Error: { Message: 'bad', code: '4000' }, type: 'ValidationFault' } }] } });
    const results = await runBatch(client, realmId, [{ bId: 'q1', query: 'select * from Customer' }], 'lookup');
    const result = results.get('q1');
    expect(result?.ok).to.equal(false);
    expect(result?.ok === false && result.error.code).to.equal('4000');
  });
});

describe('an unreadable answer to an applied write (issue 14, trap: never "not written")', () => {
  it('reports a schema mismatch after a 2xx write as outcome unknown, and keeps the write applied', async () => {
    const server = await QboFakeServer.start();
    try {
      const knex = await testKnex();
      const client = new QboHttpClient({
        tokens: new FakeTokenProvider(),
        writeIntents: new WriteIntentRepository(knex),
        limiter: new QboRateLimiter(),
        logger: pino({ level: 'silent' }),
        apiBaseUrl: server.baseUrl,
      });
      const realmId = String(crypto.randomInt(1, 2 ** 47));
      server.enqueue({ status: 200, body: { Customer: { DisplayName: 'No Id In The Answer' }, time: 'x' } });
      const opKey = `test:mismatch:${crypto.randomUUID()}`;

      const error = await createCustomer(client, realmId, { DisplayName: 'No Id In The Answer' }, opKey).then(() => null, (e: unknown) => e);

      expect(error).to.be.instanceOf(QboError);
      expect((error as QboError).code).to.equal('SCHEMA_MISMATCH_AFTER_WRITE');
      expect((error as QboError).outcomeUnknown).to.equal(true);
      expect((error as QboError).message).to.match(/applied/);
      expect(server.appliedWrites).to.have.length(1);
      expect((await new WriteIntentRepository(knex).find(realmId, opKey))?.outcome).to.equal('applied');
    } finally {
      await server.stop();
    }
  });
});
