import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { expectClean, rowCounts } from '../checks';
import { badCase } from '../ledger';
import { MOUNT, VERIFIER_TOKEN, type Answer, type BadInputWorld } from '../world';

const sign = (raw: string | Buffer, token = VERIFIER_TOKEN): string => createHmac('sha256', token).update(raw).digest('base64');

let serial = 0;
const nextId = (): string => `${Date.now()}${(serial += 1)}`;

function legacy(realmId: string, entity: Record<string, unknown> = {}): string {
  return JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities: [{ name: 'Customer', id: nextId(), operation: 'Update', lastUpdated: '2026-12-01T10:00:00.000Z', ...entity }] } }] });
}

function cloudEvents(realmId: string, event: Record<string, unknown> = {}): string {
  return JSON.stringify([{ specversion: '1.0', id: `evt-${nextId()}`, source: 'intuit', type: 'qbo.customer.updated.v1', time: '2026-12-01T10:00:00.000Z', intuitentityid: nextId(), intuitaccountid: realmId, data: {}, ...event }]);
}

interface Delivery {
  body: string | Buffer;
  /** The intuit-signature header: a value, null for none, or (default) the body's true signature. */
  signature?: string | null;
  contentType?: string | null;
}

async function deliver(w: BadInputWorld, d: Delivery): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (d.contentType !== null) headers['content-type'] = d.contentType ?? 'application/json';
  const signature = d.signature === undefined ? sign(d.body) : d.signature;
  if (signature !== null) headers['intuit-signature'] = signature;
  const response = await fetch(`${w.baseUrl}${MOUNT}/webhooks`, { method: 'POST', headers, body: d.body });
  return { status: response.status, location: null, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

const refusedLines = (w: BadInputWorld): number => w.world.logLines.filter((l) => l.includes('QuickBooks webhook refused')).length;

interface Refused {
  kind: string;
  delivery: (w: BadInputWorld) => Delivery;
  status: number;
  /** Words the JSON answer's message holds. */
  says: RegExp;
}

const realm = (w: BadInputWorld): string => w.world.companies.usPlus.realmId;

const REFUSED: Refused[] = [
  { kind: 'forged: no signature', delivery: (w) => ({ body: legacy(realm(w)), signature: null }), status: 401, says: /intuit-signature header is missing/ },
  { kind: 'forged: an empty signature', delivery: (w) => ({ body: legacy(realm(w)), signature: '' }), status: 401, says: /missing/ },
  { kind: 'forged: signed with another token', delivery: (w) => { const body = legacy(realm(w)); return { body, signature: sign(body, 'not-the-verifier-token') }; }, status: 401, says: /not valid for this body/ },
  { kind: 'forged: the signature of another body', delivery: (w) => ({ body: legacy(realm(w)), signature: sign(legacy(realm(w))) }), status: 401, says: /not valid for this body/ },
  { kind: 'forged: the body changed by one byte after signing', delivery: (w) => { const body = legacy(realm(w)); return { body: `${body} `, signature: sign(body) }; }, status: 401, says: /not valid for this body/ },
  { kind: 'forged: a signature that is not base64', delivery: (w) => ({ body: legacy(realm(w)), signature: '!!!not base64!!!' }), status: 401, says: /malformed/ },
  { kind: 'forged: a truncated signature', delivery: (w) => ({ body: legacy(realm(w)), signature: sign(legacy(realm(w))).slice(0, 20) }), status: 401, says: /malformed/ },
  { kind: 'forged: a hex signature', delivery: (w) => { const body = legacy(realm(w)); return { body, signature: createHmac('sha256', VERIFIER_TOKEN).update(body).digest('hex') }; }, status: 401, says: /malformed/ },
  { kind: 'forged: a signature 10 KB long', delivery: (w) => ({ body: legacy(realm(w)), signature: 'A'.repeat(10_000) }), status: 401, says: /malformed/ },
  { kind: 'oversized: 300 KB signed', delivery: (w) => ({ body: legacy(realm(w), { padding: 'x'.repeat(300 * 1024) }) }), status: 413, says: /larger than/ },
  {
    kind: 'oversized: 1,001 events',
    delivery: (w) => ({ body: JSON.stringify({ eventNotifications: [{ realmId: realm(w), dataChangeEvent: { entities: Array.from({ length: 1001 }, (_, i) => ({ name: 'Customer', id: String(i + 1), operation: 'Update', lastUpdated: '2026-12-01T10:00:00Z' })) } }] }) }),
    status: 400,
    says: /more than 1000/,
  },
  { kind: 'malformed: text/plain', delivery: (w) => ({ body: legacy(realm(w)), contentType: 'text/plain' }), status: 415, says: /must be JSON/ },
  { kind: 'malformed: no content type', delivery: (w) => ({ body: legacy(realm(w)), contentType: null }), status: 415, says: /must be JSON/ },
  { kind: 'malformed: a form body', delivery: () => ({ body: 'eventNotifications=1', contentType: 'application/x-www-form-urlencoded' }), status: 415, says: /must be JSON/ },
  { kind: 'malformed: signed text that is not JSON', delivery: () => ({ body: '{"eventNotifications": [' }), status: 400, says: /not valid JSON/ },
  { kind: 'malformed: a signed empty body', delivery: () => ({ body: '' }), status: 400, says: /not valid JSON/ },
  { kind: 'malformed: JSON null', delivery: () => ({ body: 'null' }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: an empty object', delivery: () => ({ body: '{}' }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: no notifications', delivery: () => ({ body: '{"eventNotifications":[]}' }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: an empty CloudEvents array', delivery: () => ({ body: '[]' }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: UTF-16 JSON', delivery: (w) => ({ body: Buffer.from(legacy(realm(w)), 'utf16le'), contentType: 'application/json; charset=utf-16le' }), status: 400, says: /not valid JSON|wrong shape|could not be read/ },
  { kind: 'malformed: 100,000 nested arrays', delivery: () => ({ body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }), status: 400, says: /not valid JSON|wrong shape/ },
  { kind: 'malformed: 120,000 numbers in one array', delivery: () => ({ body: `[${Array.from({ length: 120_000 }, () => '0').join(',')}]` }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a markup realm id', delivery: () => ({ body: legacy('<script>window.__pwned=1</script>') }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a realm id with SQL', delivery: () => ({ body: legacy("1' OR '1'='1") }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a 1,000-character realm id', delivery: () => ({ body: legacy('9'.repeat(1000)) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: an entity id with NUL', delivery: (w) => ({ body: legacy(realm(w), { id: '12\u000034' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a numeric entity id past any float', delivery: (w) => ({ body: legacy(realm(w)).replace(/"id":"\d+"/, '"id":1e309') }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: an entity name with markup', delivery: (w) => ({ body: legacy(realm(w), { name: '<b>Customer</b>' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a time that is no date', delivery: (w) => ({ body: legacy(realm(w), { lastUpdated: 'yesterday-ish' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a time before any calendar PostgreSQL keeps', delivery: (w) => ({ body: legacy(realm(w), { lastUpdated: '-271821-04-20T00:00:00.000Z' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a CloudEvent id with NUL', delivery: (w) => ({ body: cloudEvents(realm(w), { id: 'evt-\u0000-1' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a NUL inside an extra field', delivery: (w) => ({ body: cloudEvents(realm(w), { data: { note: 'a\u0000b' } }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a NUL inside a key', delivery: (w) => ({ body: legacy(realm(w), { 'x\u0000y': 1 }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: a CloudEvent type that is not QuickBooks', delivery: (w) => ({ body: cloudEvents(realm(w), { type: 'com.evil.thing' }) }), status: 400, says: /wrong shape/ },
  { kind: 'malformed: legacy and CloudEvents mixed', delivery: (w) => ({ body: JSON.stringify([JSON.parse(legacy(realm(w))) as unknown]) }), status: 400, says: /wrong shape/ },
];

export function webhookCases(world: () => BadInputWorld): void {
  describe('forged, replayed, oversized and malformed webhooks', () => {
    for (const bad of REFUSED) {
      badCase(`webhooks: ${bad.kind}`, async () => {
        const w = world();
        const label = `webhook ${bad.kind}`;
        const before = await rowCounts(w.knex);
        const logged = refusedLines(w);
        const answer = await deliver(w, bad.delivery(w));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status (${answer.text.slice(0, 200)})`).to.equal(bad.status);
        const body = JSON.parse(answer.text) as { message?: string };
        expect(body.message, `${label}: message`).to.match(bad.says);
        expect(await rowCounts(w.knex), `${label}: nothing stored`).to.deep.equal(before);
        expect(refusedLines(w), `${label}: one log entry says why`).to.equal(logged + 1);
      });
    }

    const replays: { kind: string; first: (w: BadInputWorld) => string; again: (first: string) => string }[] = [
      { kind: 'the same legacy body twice', first: (w) => legacy(realm(w)), again: (first) => first },
      {
        kind: 'the same legacy event with its time written differently',
        first: (w) => legacy(realm(w), { lastUpdated: '2026-12-01T10:00:00.000Z' }),
        again: (first) => first.replace('2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00Z'),
      },
      { kind: 'the same CloudEvent id with another body', first: (w) => cloudEvents(realm(w)), again: (first) => first.replace('qbo.customer.updated.v1', 'qbo.customer.deleted.v1') },
    ];
    for (const replay of replays) {
      badCase(`webhooks: replayed: ${replay.kind} is stored once`, async () => {
        const w = world();
        const label = `webhook replayed ${replay.kind}`;
        const first = replay.first(w);
        const before = await rowCounts(w.knex);
        const one = await deliver(w, { body: first });
        expectClean(w, one, label);
        expect(one.status, `${label}: first delivery`).to.equal(200);
        const afterFirst = await rowCounts(w.knex);
        expect(afterFirst.qbo_webhook_events, `${label}: first stored`).to.equal((before.qbo_webhook_events ?? 0) + 1);
        const two = await deliver(w, { body: replay.again(first) });
        expectClean(w, two, label);
        expect(two.status, `${label}: replay answered 200 so Intuit stops retrying`).to.equal(200);
        expect(JSON.parse(two.text)).to.include({ stored: 0, duplicates: 1 });
        expect(await rowCounts(w.knex), `${label}: nothing stored twice, no new pull`).to.deep.equal(afterFirst);
      });
    }

    badCase('webhooks: an event for a company nobody connected is kept and ignored', async () => {
      const w = world();
      const label = 'webhook unknown realm';
      const before = await rowCounts(w.knex);
      const answer = await deliver(w, { body: legacy('4620816365999999999') });
      expectClean(w, answer, label);
      expect(answer.status).to.equal(200);
      const after = await rowCounts(w.knex);
      expect(after).to.deep.equal({ ...before, qbo_webhook_events: (before.qbo_webhook_events ?? 0) + 1 });
      const row = (await w.knex('qbo_webhook_events').orderBy('id', 'desc').first()) as { realm_id: string; account_id: string | null };
      expect(row).to.include({ realm_id: '4620816365999999999', account_id: null });
    });
  });
}
