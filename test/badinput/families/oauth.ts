import { expect } from 'chai';
import { CONNECT_NOTICES, type NoticeCode } from '../../../plugin/messages';
import { expectClean, expectEscaped, expectMessage } from '../checks';
import { badCase } from '../ledger';
import { MOUNT, csrfOf, type Answer, type BadInputWorld, type Client } from '../world';

/** Press Connect on the connection page: the state Intuit would get back, and the answer. */
async function startConnect(who: Client, extraHeaders: Record<string, string> = {}, csrf?: string): Promise<{ answer: Answer; state: string | null }> {
  const page = await who.get(`${MOUNT}/`);
  const token = csrf ?? csrfOf(page.text, 'disconnect-form');
  const answer = await who.send('POST', `${MOUNT}/connect`, new URLSearchParams({ _csrf: token }).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders });
  const location = answer.location ?? '';
  const state = location.startsWith('http') ? new URL(location).searchParams.get('state') : null;
  return { answer, state };
}

/** What must not change when a callback is refused: every connection and link. */
async function connections(w: BadInputWorld): Promise<string> {
  return JSON.stringify({ connections: await w.knex('qbo_connections').orderBy('id'), mappings: await w.knex('qbo_mappings').orderBy('id') });
}

/** Follow the plugin's answer back to the connection page and check the notice a person reads. */
async function expectNotice(w: BadInputWorld, who: Client, answer: Answer, code: NoticeCode, label: string): Promise<Answer> {
  expectClean(w, answer, label);
  expect(answer.status, `${label}: status`).to.equal(303);
  expect(answer.location, `${label}: back to the connection page`).to.equal(`${MOUNT}/?notice=${code}`);
  const page = await who.get(answer.location ?? '');
  expectClean(w, page, `${label} (page)`);
  expect(page.status).to.equal(200);
  expectMessage(page, CONNECT_NOTICES[code].text, label);
  return page;
}

interface Tampered {
  kind: string;
  /** The callback's query, given a fresh valid state of Northwind's admin (or null when the case needs none). */
  query: (w: BadInputWorld, state: string) => string | Promise<string>;
  needsState: boolean;
  notice: NoticeCode;
  hostile?: string;
}

const CASES: Tampered[] = [
  { kind: 'no state', needsState: false, query: () => 'code=abc&realmId=123', notice: 'state_unknown' },
  { kind: 'an invented state', needsState: false, query: () => 'state=aW52ZW50ZWQ&code=abc&realmId=123', notice: 'state_unknown' },
  { kind: 'a state of 10,000 characters', needsState: false, query: () => `state=${'A'.repeat(10_000)}&code=abc&realmId=123`, notice: 'state_unknown' },
  { kind: 'a state with NUL', needsState: false, query: () => 'state=ab%00cd&code=abc&realmId=123', notice: 'state_unknown' },
  { kind: 'a markup state', needsState: false, query: () => `state=${encodeURIComponent('<script>window.__pwned=1</script>')}&code=abc`, notice: 'state_unknown', hostile: '<script>window.__pwned=1</script>' },
  { kind: 'two states', needsState: true, query: (_w, s) => `state=${s}&state=${s}&code=abc&realmId=123`, notice: 'state_unknown' },
  { kind: 'a valid state with one character changed', needsState: true, query: (_w, s) => `state=${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}&code=abc&realmId=123`, notice: 'state_unknown' },
  { kind: 'a valid state without a code', needsState: true, query: (_w, s) => `state=${s}&realmId=123`, notice: 'missing_code' },
  { kind: 'a valid state with an empty code', needsState: true, query: (_w, s) => `state=${s}&code=&realmId=123`, notice: 'missing_code' },
  { kind: 'a valid state without a company', needsState: true, query: (_w, s) => `state=${s}&code=abc`, notice: 'bad_realm' },
  { kind: 'a valid state with a letters company id', needsState: true, query: (_w, s) => `state=${s}&code=abc&realmId=abc`, notice: 'bad_realm' },
  { kind: 'a valid state with an SQL company id', needsState: true, query: (_w, s) => `state=${s}&code=abc&realmId=${encodeURIComponent("1' OR '1'='1")}`, notice: 'bad_realm' },
  { kind: 'a valid state with a markup company id', needsState: true, query: (_w, s) => `state=${s}&code=abc&realmId=${encodeURIComponent('<img src=x onerror=window.__pwned=1>')}`, notice: 'bad_realm', hostile: '<img src=x onerror=window.__pwned=1>' },
  { kind: 'a valid state with a 40-digit company id', needsState: true, query: (_w, s) => `state=${s}&code=abc&realmId=${'9'.repeat(40)}`, notice: 'bad_realm' },
  { kind: 'a valid state with two company ids', needsState: true, query: (_w, s) => `state=${s}&code=abc&realmId=1&realmId=2`, notice: 'bad_realm' },
  { kind: 'a valid state naming Bluebird’s company', needsState: true, query: (w, s) => `state=${s}&code=abc&realmId=${w.world.companies.caEssentials.realmId}`, notice: 'realm_taken' },
  { kind: 'a valid state with a forged code', needsState: true, query: (w, s) => `state=${s}&code=forged-code&realmId=${w.world.companies.usPlus.realmId}`, notice: 'code_rejected' },
  { kind: 'a valid state with a 5,000-character code', needsState: true, query: (w, s) => `state=${s}&code=${'c'.repeat(5000)}&realmId=${w.world.companies.usPlus.realmId}`, notice: 'code_rejected' },
  { kind: 'a valid state with Intuit’s access_denied', needsState: true, query: (_w, s) => `state=${s}&error=access_denied`, notice: 'access_denied' },
  {
    kind: 'a valid state with an unknown error and a markup description',
    needsState: true,
    query: (_w, s) => `state=${s}&error=server_error&error_description=${encodeURIComponent('<script>window.__pwned=1</script>')}`,
    notice: 'intuit_error',
    hostile: '<script>window.__pwned=1</script>',
  },
];

export function oauthCases(world: () => BadInputWorld): void {
  describe('tampered OAuth state and callback parameters', () => {
    for (const c of CASES) {
      badCase(`oauth: callback with ${c.kind}`, async () => {
        const w = world();
        const admin = w.clients.northwindAdmin;
        const state = c.needsState ? (await startConnect(admin)).state : 'unused';
        if (state === null) throw new Error('Connect gave no state');
        const before = await connections(w);
        const answer = await admin.get(`${MOUNT}/callback?${await c.query(w, state)}`);
        const page = await expectNotice(w, admin, answer, c.notice, c.kind);
        if (c.hostile) expectEscaped(page, c.hostile, c.kind);
        expect(await connections(w), `${c.kind}: connections and links unchanged`).to.equal(before);
      });
    }

    badCase('oauth: a used state replayed', async () => {
      const w = world();
      const admin = w.clients.northwindAdmin;
      const { state } = await startConnect(admin);
      await expectNotice(w, admin, await admin.get(`${MOUNT}/callback?state=${state ?? ''}&error=access_denied`), 'access_denied', 'first use');
      const before = await connections(w);
      await expectNotice(w, admin, await admin.get(`${MOUNT}/callback?state=${state ?? ''}&code=abc&realmId=${w.world.companies.usPlus.realmId}`), 'state_used', 'replay');
      expect(await connections(w)).to.equal(before);
    });

    badCase('oauth: another account’s admin finishes Northwind’s sign-in', async () => {
      const w = world();
      const { state } = await startConnect(w.clients.northwindAdmin);
      const before = await connections(w);
      const answer = await w.clients.bluebirdAdmin.get(`${MOUNT}/callback?state=${state ?? ''}&code=abc&realmId=${w.world.companies.usPlus.realmId}`);
      await expectNotice(w, w.clients.bluebirdAdmin, answer, 'state_other_session', 'foreign state');
      expect(await connections(w)).to.equal(before);
    });

    badCase('oauth: Connect with another session’s form token', async () => {
      const w = world();
      const bluebirdToken = csrfOf((await w.clients.bluebirdAdmin.get(`${MOUNT}/`)).text, 'disconnect-form');
      const states = await w.knex('qbo_oauth_states').count<{ count: string }[]>({ count: '*' });
      const { answer } = await startConnect(w.clients.northwindAdmin, {}, bluebirdToken);
      await expectNotice(w, w.clients.northwindAdmin, answer, 'csrf_failed', 'foreign token');
      expect(await w.knex('qbo_oauth_states').count<{ count: string }[]>({ count: '*' }), 'no state issued').to.deep.equal(states);
    });

    badCase('oauth: Connect posted from another site (Origin)', async () => {
      const w = world();
      const states = await w.knex('qbo_oauth_states').count<{ count: string }[]>({ count: '*' });
      const { answer } = await startConnect(w.clients.northwindAdmin, { origin: 'http://evil.test' });
      expectClean(w, answer, 'other origin');
      expect(answer.status).to.equal(303);
      expect(answer.location).to.equal(`${MOUNT}/?notice=other_address`);
      expect(await w.knex('qbo_oauth_states').count<{ count: string }[]>({ count: '*' }), 'no state issued').to.deep.equal(states);
    });

    for (const notice of ['<script>window.__pwned=1</script>', 'connected', '__proto__', 'toString']) {
      badCase(`oauth: a notice in the URL (${notice}) puts no words on the page`, async () => {
        const w = world();
        // A one-time notice still waiting from an earlier case shows once, here, and is gone.
        await w.clients.northwindAdmin.get(`${MOUNT}/`);
        const page = await w.clients.northwindAdmin.get(`${MOUNT}/?notice=${encodeURIComponent(notice)}`);
        expectClean(w, page, `notice ${notice}`);
        expect(page.status).to.equal(200);
        expectEscaped(page, notice, `notice ${notice}`);
        expect(page.text, 'no notice without the one-time cookie').to.not.match(/id="notice"/);
      });
    }
  });
}
