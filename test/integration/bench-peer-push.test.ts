import { expect } from 'chai';
import type { Knex } from 'knex';
import { invoiceBody, invoicesToPush, pushWithPeer, pushWithPluginBatches } from '../../bench/benchmarks/peer-invoice-push';
import { generate, type GeneratedData } from '../../bench/data/generator';
import { testKnex } from '../support/test-database';

/** The peer benchmark's two clients really create the invoices in the sandbox (counted in its store). */
describe('bench: node-quickbooks and the plugin client push the same invoices to the sandbox', () => {
  const base = generate('S');
  const data: GeneratedData = { ...base, spec: { ...base.spec, pushInvoices: 40 } };
  let knex: Knex;

  before(async () => {
    knex = await testKnex();
  });

  it('picks invoices of matched clients only', () => {
    const matched = new Set(data.qbo.customers.map((c) => c.matchesClientRef));
    const picked = invoicesToPush(data);
    expect(picked).to.have.length(40);
    expect(picked.every((inv) => matched.has(inv.clientRef))).to.equal(true);
  });

  it('refuses an invoice whose client has no QBO customer, saying which', () => {
    const stray = data.work.invoices.find((inv) => inv.clientRef > data.spec.qboMatching);
    if (!stray) throw new Error('fixture: every invoice belongs to a matched client');
    expect(() => invoiceBody(stray, { customerIdByKey: new Map(), customerIdByClientRef: new Map(), itemIdByRef: new Map() })).to.throw(`invoice ${stray.ref}: client ${stray.clientRef} has no QBO customer`);
  });

  it('node-quickbooks (pointed at the sandbox, OAuth 2 bearer) makes one call per invoice; the plugin client one per 30', async () => {
    const peer = await pushWithPeer(knex, data);
    expect(peer).to.include({ invoices: 40, created: 40, calls: 40, throttled: 0 });
    const ours = await pushWithPluginBatches(knex, data);
    expect(ours).to.include({ invoices: 40, created: 40, calls: 2, throttled: 0 });
  });
});
