import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { parseWebhookBody } from '../../plugin/webhooks/payload';
import { checkIntuitSignature } from '../../plugin/webhooks/signature';

describe('webhook signature', () => {
  const token = 'verifier';
  const sign = (raw: Buffer, t = token) => createHmac('sha256', t).update(raw).digest('base64');

  it('accepts exactly the signature of the raw bytes and the right token', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 1, maxLength: 200 }), (a, b) => {
        const raw = Buffer.from(a);
        expect(checkIntuitSignature(raw, sign(raw), token)).to.equal('valid');
        expect(checkIntuitSignature(raw, sign(raw, 'other'), token)).to.equal('mismatch');
        const changed = Buffer.concat([raw, Buffer.from(b)]);
        expect(checkIntuitSignature(changed, sign(raw), token)).to.equal('mismatch');
      }),
    );
  });

  it('names a missing or malformed header', () => {
    const raw = Buffer.from('{}');
    expect(checkIntuitSignature(raw, undefined, token)).to.equal('missing');
    expect(checkIntuitSignature(raw, '  ', token)).to.equal('missing');
    expect(checkIntuitSignature(raw, '%%%', token)).to.equal('malformed');
    expect(checkIntuitSignature(raw, Buffer.alloc(31).toString('base64'), token)).to.equal('malformed');
  });
});

describe('webhook bodies', () => {
  it('reads the legacy body, one event per entity, keyed by realm, entity, id, operation and time', () => {
    const parsed = parseWebhookBody({
      eventNotifications: [
        { realmId: '1', dataChangeEvent: { entities: [{ name: 'Customer', id: '5', operation: 'Update', lastUpdated: '2015-10-05T14:42:19-0700' }] } },
        { realmId: '2', dataChangeEvent: { entities: [{ name: 'Invoice', id: '6', operation: 'Delete', lastUpdated: '2026-12-01T10:00:00Z' }] } },
      ],
    });
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.events.map((e) => e.dedupeKey)).to.deep.equal([
      'legacy|1|Customer|5|Update|2015-10-05T21:42:19.000Z',
      'legacy|2|Invoice|6|Delete|2026-12-01T10:00:00.000Z',
    ]);
  });

  it('reads CloudEvents, keyed by their id, the entity and operation taken from the type', () => {
    const parsed = parseWebhookBody([
      { id: 'x-1', type: 'qbo.customer.created.v1', intuitaccountid: '1', intuitentityid: '5', time: '2026-12-01T10:00:00Z' },
      { id: 'x-2', type: 'qbo.payment.emailed.v1', intuitaccountid: '1', intuitentityid: '6', time: '2026-12-01T10:00:00Z' },
      { id: 'x-3', type: 'qbo.journalentry.deleted.v1', intuitaccountid: '1', intuitentityid: '7', time: '2026-12-01T10:00:00Z' },
    ]);
    expect(parsed.ok && parsed.events.map((e) => [e.dedupeKey, e.entity, e.operation])).to.deep.equal([
      ['ce|x-1', 'Customer', 'Create'],
      ['ce|x-2', 'Payment', 'Emailed'],
      ['ce|x-3', 'JournalEntry', 'Delete'],
    ]);
  });

  it('refuses any other JSON value with a problem naming the field, never a partial result', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseWebhookBody(value);
        if (!parsed.ok) expect(parsed.problem).to.match(/^(legacy|CloudEvents) body: /);
      }),
    );
    const mixed = parseWebhookBody([{ id: 'x', type: 'qbo.customer.created.v1', intuitaccountid: '1', intuitentityid: '5', time: 't' }]);
    expect(mixed).to.deep.equal({ ok: false, problem: 'CloudEvents body: 0.time must be a date and time' });
  });

  it('refuses a NUL character anywhere (PostgreSQL stores none) and a time outside 1970–9999, instead of failing to store them', () => {
    const event = { id: 'x-1', type: 'qbo.customer.created.v1', intuitaccountid: '1', intuitentityid: '5', time: '2026-12-01T10:00:00Z' };
    const nul = 'CloudEvents body: a text holds a NUL character, which cannot be stored';
    expect(parseWebhookBody([{ ...event, id: 'x\u0000' }])).to.deep.equal({ ok: false, problem: nul });
    expect(parseWebhookBody([{ ...event, data: { deep: [{ note: 'a\u0000b' }] } }])).to.deep.equal({ ok: false, problem: nul });
    expect(parseWebhookBody([{ ...event, ['k\u0000']: 1 }])).to.deep.equal({ ok: false, problem: nul });
    expect(parseWebhookBody([{ ...event, time: '-271821-04-20T00:00:00.000Z' }])).to.deep.equal({ ok: false, problem: 'CloudEvents body: 0.time must be a date and time' });
    expect(parseWebhookBody([{ ...event, time: '+275760-09-13T00:00:00.000Z' }])).to.deep.equal({ ok: false, problem: 'CloudEvents body: 0.time must be a date and time' });
  });
});
