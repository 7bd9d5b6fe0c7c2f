import { expect } from 'chai';
import crypto from 'node:crypto';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { testKnex } from '../support/test-database';

/** Write intents on a real, migrated PostgreSQL: the requestid is chosen once per (realm, operation). */
describe('write intents (qbo_write_intents)', () => {
  const realm = () => String(crypto.randomInt(1, 2 ** 47));

  it('gives the same requestid for the same realm and operation, committed at once', async () => {
    const knex = await testKnex();
    const repo = new WriteIntentRepository(knex);
    const realmId = realm();
    const first = await repo.requestIdFor(realmId, 'invoice:create:10:1');
    expect(first).to.match(/^[0-9a-f-]{36}$/);
    // Visible to another connection: it was committed, not held in a transaction.
    const seen = await knex.transaction(async (trx) => trx('qbo_write_intents').where({ realm_id: realmId }).first<{ request_id: string }>());
    expect(seen.request_id).to.equal(first);
    expect(await repo.requestIdFor(realmId, 'invoice:create:10:1')).to.equal(first);
    expect(await new WriteIntentRepository(knex).requestIdFor(realmId, 'invoice:create:10:1')).to.equal(first);
  });

  it('gives different requestids to different operations and to the same operation in another realm', async () => {
    const repo = new WriteIntentRepository(await testKnex());
    const realmId = realm();
    const a = await repo.requestIdFor(realmId, 'invoice:create:10:1');
    const b = await repo.requestIdFor(realmId, 'invoice:create:10:2');
    const c = await repo.requestIdFor(realm(), 'invoice:create:10:1');
    expect(new Set([a, b, c]).size).to.equal(3);
  });

  it('hands concurrent callers the one stored requestid', async () => {
    const knex = await testKnex();
    let n = 0;
    const repo = new WriteIntentRepository(knex, () => `00000000-0000-0000-0000-${String((n += 1)).padStart(12, '0')}`);
    const realmId = realm();
    const ids = await Promise.all(Array.from({ length: 10 }, () => repo.requestIdFor(realmId, 'payment:create:3:1')));
    expect(new Set(ids).size).to.equal(1);
    expect(await knex('qbo_write_intents').where({ realm_id: realmId }).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
  });

  it('records the outcome once and keeps the requestid afterwards', async () => {
    const repo = new WriteIntentRepository(await testKnex());
    const realmId = realm();
    const id = await repo.requestIdFor(realmId, 'client:create:1:1');
    expect((await repo.find(realmId, 'client:create:1:1'))?.completed_at).to.equal(null);
    await repo.markCompleted(realmId, 'client:create:1:1', 'applied');
    await repo.markCompleted(realmId, 'client:create:1:1', 'rejected'); // a late second answer changes nothing
    const row = await repo.find(realmId, 'client:create:1:1');
    expect(row?.outcome).to.equal('applied');
    expect(row?.completed_at).to.be.instanceOf(Date);
    expect(await repo.requestIdFor(realmId, 'client:create:1:1')).to.equal(id);
  });

  it('gives a new requestid after a rejection (it was not applied), the same one after an applied write', async () => {
    const repo = new WriteIntentRepository(await testKnex());
    const realmId = realm();
    const request = (body: string) => ({ subject: null, segments: ['customer'], query: {}, body, kind: 'single' as const });
    const first = await repo.requestIdFor(realmId, 'client:update:1', request('{"a":1}'));
    await repo.markCompleted(realmId, 'client:update:1', 'rejected');
    const second = await repo.requestIdFor(realmId, 'client:update:1', request('{"a":2}'));
    expect(second).to.not.equal(first);
    expect((await repo.find(realmId, 'client:update:1'))?.outcome).to.equal(null);
    await repo.markCompleted(realmId, 'client:update:1', 'applied');
    expect(await repo.requestIdFor(realmId, 'client:update:1', request('{"a":2}'))).to.equal(second);
    const reused = await repo.requestIdFor(realmId, 'client:update:1', request('{"a":3}')).then(() => null, (e: Error) => e);
    expect(reused?.name).to.equal('WriteKeyReusedError');
  });

  it('refuses inconsistent rows and over-long requestids (CHECK constraints)', async () => {
    const knex = await testKnex();
    const realmId = realm();
    const outcomeWithoutTime = await knex('qbo_write_intents')
      .insert({ realm_id: realmId, op_key: 'a', request_id: 'r1', outcome: 'applied' })
      .then(() => null, (e: Error) => e.message);
    expect(outcomeWithoutTime).to.match(/qbo_write_intents_outcome_check/);
    const tooLong = await knex('qbo_write_intents')
      .insert({ realm_id: realmId, op_key: 'b', request_id: 'x'.repeat(37) })
      .then(() => null, (e: Error) => e.message);
    expect(tooLong).to.match(/qbo_write_intents_request_id_length/);
  });

  it('refuses an empty or oversized operation key', async () => {
    const repo = new WriteIntentRepository(await testKnex());
    for (const key of ['', 'k'.repeat(201)]) {
      const error = await repo.requestIdFor(realm(), key).then(() => null, (e: Error) => e.message);
      expect(error).to.match(/operation key/);
    }
  });

  it('deletes completed intents older than the retention cut-off only', async () => {
    const knex = await testKnex();
    const repo = new WriteIntentRepository(knex);
    const realmId = realm();
    await repo.requestIdFor(realmId, 'old');
    await repo.requestIdFor(realmId, 'open');
    await repo.markCompleted(realmId, 'old', 'applied');
    await knex('qbo_write_intents').where({ realm_id: realmId, op_key: 'old' }).update({ completed_at: new Date('2020-01-01T00:00:00Z') });
    await repo.deleteCompletedBefore(new Date('2021-01-01T00:00:00Z'));
    const left = await knex('qbo_write_intents').where({ realm_id: realmId }).pluck<string[]>('op_key');
    expect(left).to.deep.equal(['open']);
  });
});
