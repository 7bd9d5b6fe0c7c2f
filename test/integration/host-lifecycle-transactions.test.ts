import { expect } from 'chai';
import type { Knex } from 'knex';
import { createWorkApp, type WorkApp } from '../../dev/host/app';
import { LifecycleBus } from '../../dev/host/lifecycle-bus';
import { createWorkModels, type WorkModels } from '../../dev/host/models/work-models';
import type { LifecycleEvent } from '../../plugin/host/work-host';
import { testKnex, truncateAll } from '../support/test-database';
import { countRows, insertAccount, someClient } from './standin-fixtures';
import { testPluginOptions } from '../support/plugin-options';

const WRITES = 'standin_listener_writes';

class Boom extends Error {}

/** A listener that records each event through the event's own transaction, as the plugin does. */
function recordingListener() {
  return async (event: LifecycleEvent): Promise<void> => {
    await event.trx(WRITES).insert({ entity: event.entity, action: event.action, record_id: event.recordId });
  };
}

describe('lifecycle events arrive inside the host transaction', () => {
  let knex: Knex;
  let bus: LifecycleBus;
  let models: WorkModels;
  let accountId: string;

  before(async () => {
    knex = await testKnex();
    if (!(await knex.schema.hasTable(WRITES))) {
      await knex.schema.createTable(WRITES, (t) => {
        t.increments('id');
        t.text('entity').notNullable();
        t.text('action').notNullable();
        t.text('record_id').notNullable();
      });
    }
  });

  beforeEach(async () => {
    await truncateAll();
    bus = new LifecycleBus();
    models = createWorkModels(knex, bus);
    accountId = await insertAccount(knex, 'Acme');
  });

  it('lets a listener write through event.trx, and the write commits with the save', async () => {
    bus.subscribe(recordingListener());
    const client = await models.clients.create(accountId, someClient);
    const writes = await knex(WRITES).select('entity', 'action', 'record_id');
    expect(writes).to.deep.equal([{ entity: 'client', action: 'created', record_id: client.id }]);
  });

  it('delivers the event before commit: the new row is visible through event.trx but not from outside', async () => {
    const seen: { inside: boolean; outside: boolean }[] = [];
    bus.subscribe(async (event) => {
      const inside = await event.trx('clients').where({ id: event.recordId }).first();
      const outside = await knex('clients').where({ id: event.recordId }).first();
      seen.push({ inside: inside !== undefined, outside: outside !== undefined });
    });
    await models.clients.create(accountId, someClient);
    expect(seen).to.deep.equal([{ inside: true, outside: false }]);
  });

  it('rolls back the listener write when an outer transaction throws after the model call', async () => {
    bus.subscribe(recordingListener());
    const err = await knex
      .transaction(async (trx) => {
        await models.clients.create(accountId, someClient, { trx });
        expect(await trx(WRITES).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
        throw new Boom('after the save');
      })
      .then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Boom);
    expect(await countRows(knex, 'clients')).to.equal(0);
    expect(await countRows(knex, WRITES)).to.equal(0);
  });

  it('rolls back the save and the first listener write when a second listener throws', async () => {
    bus.subscribe(recordingListener());
    bus.subscribe(async () => {
      throw new Boom('second listener');
    });
    const err = await models.clients.create(accountId, someClient).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Boom);
    expect(await countRows(knex, 'clients')).to.equal(0);
    expect(await countRows(knex, WRITES)).to.equal(0);
  });

  it('fires created/updated/deleted for clients, sites, invoices and payments, once per save', async () => {
    bus.subscribe(recordingListener());
    const client = await models.clients.create(accountId, someClient);
    await models.clients.update(accountId, client.id, { phone: '555-0100' });
    const site = await models.sites.create(accountId, client.id, {
      name: 'Main office', contactName: null, email: null, phone: null, active: true,
      address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: null },
    });
    await models.sites.update(accountId, site.id, { name: 'Head office' });
    const line = { itemId: null, description: 'Labour', quantity: '2', unitPrice: '10.5', taxable: true };
    const invoiceInput = { clientId: client.id, siteId: site.id, number: 'INV-1', issueDate: '2026-03-01', dueDate: null, notes: null, taxRate: '8.875', lines: [line, line, line] };
    const invoice = await models.invoices.create(accountId, invoiceInput);
    await models.invoices.update(accountId, invoice.id, { ...invoiceInput, lines: [line] });
    const paymentInput = { clientId: client.id, invoiceId: invoice.id, amount: '10.00', paidOn: '2026-03-02', method: null, reference: null };
    const payment = await models.payments.create(accountId, paymentInput);
    await models.payments.update(accountId, payment.id, { ...paymentInput, amount: '12.00' });
    await models.payments.delete(accountId, payment.id);
    await models.invoices.delete(accountId, invoice.id);
    await models.sites.delete(accountId, site.id);
    await models.clients.delete(accountId, client.id);

    const writes = await knex(WRITES).orderBy('id').select('entity', 'action', 'record_id');
    expect(writes).to.deep.equal([
      { entity: 'client', action: 'created', record_id: client.id },
      { entity: 'client', action: 'updated', record_id: client.id },
      { entity: 'site', action: 'created', record_id: site.id },
      { entity: 'site', action: 'updated', record_id: site.id },
      { entity: 'invoice', action: 'created', record_id: invoice.id },
      { entity: 'invoice', action: 'updated', record_id: invoice.id },
      { entity: 'payment', action: 'created', record_id: payment.id },
      { entity: 'payment', action: 'updated', record_id: payment.id },
      { entity: 'payment', action: 'deleted', record_id: payment.id },
      { entity: 'invoice', action: 'deleted', record_id: invoice.id },
      { entity: 'site', action: 'deleted', record_id: site.id },
      { entity: 'client', action: 'deleted', record_id: client.id },
    ]);
  });

  it('replaces invoice lines in the saving transaction: a failing listener keeps the old lines', async () => {
    const client = await models.clients.create(accountId, someClient);
    const line = { itemId: null, description: 'Labour', quantity: '1', unitPrice: '100', taxable: false };
    const input = { clientId: client.id, siteId: null, number: 'INV-7', issueDate: '2026-03-01', dueDate: null, notes: null, taxRate: '0', lines: [line, line] };
    const invoice = await models.invoices.create(accountId, input);
    bus.subscribe(async () => {
      throw new Boom('refuse');
    });
    const err = await models.invoices.update(accountId, invoice.id, { ...input, number: 'INV-8', lines: [{ ...line, description: 'Other' }] }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Boom);
    const after = await models.invoices.get(accountId, invoice.id);
    expect(after?.number).to.equal('INV-7');
    expect(after?.lines.map((l) => l.description)).to.deep.equal(['Labour', 'Labour']);
  });
});

describe('the real plugin, registered and started like Work does, queues outbox rows in the host transaction', () => {
  let knex: Knex;
  let work: WorkApp;
  let accountId: string;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    await truncateAll();
    work = await createWorkApp({ knex, sessionSecret: 'test-secret', pluginOptions: testPluginOptions() });
    accountId = await insertAccount(knex, 'Acme');
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  it('queues one pending row when a save commits', async () => {
    const client = await work.models.clients.create(accountId, someClient);
    const rows = await knex('qbo_outbox').select('account_id', 'entity', 'record_id', 'action', 'status');
    expect(rows).to.deep.equal([{ account_id: accountId, entity: 'client', record_id: client.id, action: 'created', status: 'pending' }]);
  });

  it('queues nothing when the outer transaction rolls back', async () => {
    const err = await knex
      .transaction(async (trx) => {
        await work.models.clients.create(accountId, someClient, { trx });
        throw new Boom('after the save');
      })
      .then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Boom);
    expect(await countRows(knex, 'qbo_outbox')).to.equal(0);
    expect(await countRows(knex, 'clients')).to.equal(0);
  });

  it('queues nothing when a later listener fails the save', async () => {
    work.bus.subscribe(async () => {
      throw new Boom('a later hook fails');
    });
    const err = await work.models.clients.create(accountId, someClient).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Boom);
    expect(await countRows(knex, 'qbo_outbox')).to.equal(0);
  });

  it('coalesces repeated edits of one record into one pending row', async () => {
    const client = await work.models.clients.create(accountId, someClient);
    for (const phone of ['555-0001', '555-0002', '555-0003']) await work.models.clients.update(accountId, client.id, { phone });
    const other = await work.models.clients.create(accountId, { ...someClient, companyName: 'Other Co' });
    const rows = await knex('qbo_outbox').orderBy('id').select('record_id', 'action', 'status');
    expect(rows).to.deep.equal([
      { record_id: client.id, action: 'created', status: 'pending' },
      { record_id: other.id, action: 'created', status: 'pending' },
    ]);
  });

  it('stops queueing after the plugin is stopped', async () => {
    await work.plugin.stop();
    await work.models.clients.create(accountId, someClient);
    expect(await countRows(knex, 'qbo_outbox')).to.equal(0);
  });
});
