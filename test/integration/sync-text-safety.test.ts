import { expect } from 'chai';
import { isSafeText } from '../../plugin/sync/text-safety';
import { addClient, client, customer, loadCustomers, logOf, newSyncAccount, qboCustomers, syncNow, useSyncWorld, workClients, type QboObject } from './sync-support';

/** Every string inside a value (keys included) that text-safety would refuse. */
function unsafeStrings(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return isSafeText(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([k, v]) => [...(isSafeText(k) ? [] : [`${path}.${k} (key)`]), ...unsafeStrings(v, `${path}.${k}`)]);
  }
  return [];
}

describe('sync text safety: NUL and control characters on both sides', () => {
  const suite = useSyncWorld();

  it('a QBO customer with a NUL in its notes, address, phone and email reaches Work clean; review fields, log and snapshots store', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    loadCustomers(world, a.realmId, [
      customer('Nul Notes Co', {
        Notes: 'Gate\u0000code\u0007 1234\nRing twice\uFFFF',
        BillAddr: { Line1: '1\u0000 Main St', City: 'Spring\u0001field', CountrySubDivisionCode: 'IL', PostalCode: '62701', Country: 'US' },
        PrimaryPhone: { FreeFormNumber: '555\u0000-0100' },
        PrimaryEmailAddr: { Address: 'nul\u0000@notes.test' },
      }),
      // Two customers one Work client could be: the review list shows both, one with a NUL in its name.
      customer('Null\u0000 Twin', { CompanyName: 'Null\u0000 Twin' }),
      customer('Null Twin (2)', { CompanyName: 'Null Twin' }),
    ]);
    await addClient(world, a.accountId, client('Null Twin'));
    const { run } = await syncNow(world, a.accountId, 'onboarding');
    expect(run.status).to.equal('succeeded');
    const made = (await workClients(world, a.accountId)).find((c) => c.companyName === 'Nul Notes Co');
    expect(made).to.deep.include({
      notes: 'Gatecode 1234\nRing twice',
      phone: '555-0100',
      email: 'nul@notes.test',
      billingAddress: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
    });
    const reviews = await world.knex('qbo_review').where({ account_id: a.accountId });
    expect(reviews.length).to.be.at.least(2);
    expect(unsafeStrings(reviews)).to.deep.equal([]);
    expect(JSON.stringify(reviews)).to.contain('Null Twin');
    expect(unsafeStrings(await world.knex('qbo_mappings').where({ account_id: a.accountId }))).to.deep.equal([]);
    expect(unsafeStrings(await logOf(world, a.accountId))).to.deep.equal([]);
    expect(unsafeStrings(await workClients(world, a.accountId))).to.deep.equal([]);
  });

  it('a Work client with control characters reaches QuickBooks clean, warned, and Work keeps its own text', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    const c = await addClient(world, a.accountId, client('Bell\u0007 Tower\uFFFF Co', {
      firstName: 'Ada\u001b',
      notes: 'Line one\u001b\nLine two\uFFFF',
      phone: '555\u0085-0199',
      email: 'bell\u0008@tower.test',
      billingAddress: { line1: 'Apt\u0001 5', line2: null, city: 'Ur\u009Fbana', state: 'IL', postalCode: '61801', country: 'US' },
    }));
    const { run } = await syncNow(world, a.accountId, 'onboarding');
    expect(run.counts['client']).to.include({ created_in_qbo: 1 });
    const q = qboCustomers(world, a.realmId).find((x) => String(x['DisplayName']).startsWith('Bell')) as QboObject;
    expect(unsafeStrings(q)).to.deep.equal([]);
    expect(q).to.include({ DisplayName: 'Bell Tower Co', CompanyName: 'Bell Tower Co', GivenName: 'Ada', Notes: 'Line one\nLine two' });
    expect(q['PrimaryEmailAddr']).to.deep.equal({ Address: 'bell@tower.test' });
    expect((q['BillAddr'] as QboObject)['City']).to.equal('Urbana');
    const log = await logOf(world, a.accountId);
    expect(log.some((l) => l.work_id === c.id && l.reason_code === 'control_characters')).to.equal(true);
    expect(unsafeStrings(log)).to.deep.equal([]);
    expect((await workClients(world, a.accountId)).find((x) => x.id === c.id)?.companyName).to.equal('Bell\u0007 Tower\uFFFF Co');
    // Nothing reads as changed on the next run (both sides were cleaned the same way).
    const again = await syncNow(world, a.accountId, 'continuous');
    expect(again.run.counts['client']?.['updated_in_qbo'] ?? 0).to.equal(0);
    expect(again.run.counts['client']?.['updated_in_work'] ?? 0).to.equal(0);
  });
});
