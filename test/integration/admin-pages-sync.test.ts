import { expect } from 'chai';
import request from 'supertest';
import { LOG_TEXTS, PREVIEW_TEXTS, REVIEW_CLASH_TEXTS, REVIEW_TEXTS, SYNC_NOW_TEXTS, SYNC_TEXTS } from '../../plugin/messages';
import { AccountLockRepository } from '../../plugin/persistence/account-lock-repository';
import { customer, loadCustomers, qboCustomers } from './sync-support';
import { agentFor, formToken, MOUNT, noticeOf, useAdminPagesWorld, type Agent } from './admin-pages-support';

/**
 * The sync engine's pages through the stand-in, the plugin and the QBO sandbox over real HTTP: readiness
 * preview, Sync now, history, log (filters, retry, dismiss, CSV) and the review list. Every route refuses
 * staff (403) and other accounts' ids (404); every form needs the plugin's CSRF token.
 */

/** ejs's escaping of text, to find a message on a page. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** Rows of the page's table #id, as their cells' text (tags stripped). */
function tableRows(html: string, id: string): string[][] {
  const body = new RegExp(`<table id="${id}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()));
}

/** Everything that would show a write: the plugin's tables (counts) and the sandbox's customers. */
async function footprint(suite: ReturnType<typeof useAdminPagesWorld>): Promise<string> {
  const { knex } = suite.world;
  const counts: Record<string, unknown> = {};
  for (const table of ['qbo_sync_runs', 'qbo_sync_log', 'qbo_mappings', 'qbo_review', 'qbo_outbox', 'qbo_write_batches', 'clients', 'sites']) {
    counts[table] = (await knex(table).count<{ count: string }[]>('* as count'))[0]?.count;
  }
  return JSON.stringify(counts);
}

describe('sync engine pages (stand-in + plugin + QBO sandbox over real HTTP)', function () {
  this.timeout(120_000);
  const suite = useAdminPagesWorld();
  let admin: Agent;
  let bluebirdAdmin: Agent;

  before(async () => {
    // QuickBooks' side: one customer matching a seeded client, two that could both be "Lakeside Bakery"
    // (a seeded client without an email: the review list), and one only in QuickBooks.
    loadCustomers(suite.world, suite.world.companies.usPlus.realmId, [
      customer('Evergreen Landscaping'),
      customer('Lakeside Bakery'),
      customer('Lakeside Bakery (Main St)', { CompanyName: 'Lakeside Bakery' }),
      customer('Zephyr Cooling'),
    ]);
    admin = await agentFor(suite.world, 'northwindAdmin');
    bluebirdAdmin = await agentFor(suite.world, 'bluebirdAdmin');
  });

  async function northwindLog(where: Record<string, unknown> = {}) {
    return suite.world.knex('qbo_sync_log').where({ account_id: suite.world.accounts.northwind, ...where }).orderBy('id');
  }

  async function insertLog(account: 'northwind' | 'bluebird', fields: Record<string, unknown>): Promise<string> {
    const [row] = await suite.world.knex('qbo_sync_log')
      .insert({ account_id: suite.world.accounts[account], entity: 'client', level: 'error', outcome: 'failed', reason_code: 'qbo_refused', reason: 'QuickBooks refused it.', created_at: new Date(), ...fields })
      .returning('id');
    return String((row as { id: string | number }).id);
  }

  it('refuses staff (403) on every engine route, GET and POST, and sends anonymous visitors to sign in', async () => {
    const staff = await agentFor(suite.world, 'northwindStaff');
    const before = await footprint(suite);
    for (const path of ['/preview', '/sync', '/sync/progress', '/history', '/log', '/log.csv', '/review', '/reconciliation', '/assets/qbo-sync.js']) {
      await staff.get(`${MOUNT}${path}`).expect(403);
      const anonymous = await request(suite.world.workUrl).get(`${MOUNT}${path}`).expect(303);
      expect(anonymous.headers['location']).to.match(/^\/login\?next=/);
    }
    for (const path of ['/sync/start', '/sync/cancel', '/log/actions', '/log/1/retry', '/log/1/dismiss', '/review/1']) {
      await staff.post(`${MOUNT}${path}`).type('form').send({ decision: 'skip', action: 'dismiss', ids: '1' }).expect(403);
    }
    expect(await footprint(suite)).to.equal(before);
  });

  it('previews the first sync with counts and a filterable table (GET params), and writes nothing anywhere', async () => {
    const before = await footprint(suite);
    const qboBefore = JSON.stringify(qboCustomers(suite.world, suite.world.companies.usPlus.realmId));
    const page = await admin.get(`${MOUNT}/preview`).expect(200);
    expect(page.text).to.contain(esc(PREVIEW_TEXTS.intro));
    expect(page.text).to.contain('id="preview-counts"');
    expect(page.text).to.contain('id="start-onboarding-form"');
    const all = tableRows(page.text, 'preview-table');
    expect(all.length).to.be.greaterThan(5);
    expect(all.some((r) => r[3] === 'Needs review'), 'the seeds hold ambiguous matches').to.equal(true);
    expect(all.some((r) => r[3] === 'Created in QuickBooks')).to.equal(true);
    expect(all.find((r) => r[1] === 'Evergreen Landscaping')?.[3]).to.equal('Will be linked');
    expect(all.find((r) => r[2]?.startsWith('QuickBooks customer') && r[3] === 'Created in Work')).to.not.equal(undefined);

    const review = await admin.get(`${MOUNT}/preview?action=review`).expect(200);
    const reviewRows = tableRows(review.text, 'preview-table');
    expect(reviewRows.length).to.be.greaterThan(0);
    expect(reviewRows.every((r) => r[3] === 'Needs review')).to.equal(true);
    expect(review.text).to.match(/<option value="review" selected>/);
    expect(reviewRows.find((r) => r[1] === 'Lakeside Bakery')?.[2]).to.match(/^Could be QuickBooks customer #\d+ or #\d+$/);
    expect(reviewRows.some((r) => r[1] === 'Could be Lakeside Bakery in Work')).to.equal(true);
    const sites = await admin.get(`${MOUNT}/preview?entity=site`).expect(200);
    expect(tableRows(sites.text, 'preview-table').every((r) => r[0] === 'Site' || r[0] === PREVIEW_TEXTS.none)).to.equal(true);
    const bad = await admin.get(`${MOUNT}/preview?action=%3Cscript%3E`).expect(200);
    expect(noticeOf(bad.text)).to.equal(esc(LOG_TEXTS.badFilter));
    expect(bad.text).not.to.contain('<script>');

    expect(await footprint(suite), 'the preview wrote nothing to Work or the plugin').to.equal(before);
    expect(JSON.stringify(qboCustomers(suite.world, suite.world.companies.usPlus.realmId)), 'and nothing to QuickBooks').to.equal(qboBefore);
  });

  it('refuses to start a sync without the CSRF token (403), answers "already running" honestly, then runs the first sync to its end', async () => {
    const syncPage = await admin.get(`${MOUNT}/sync`).expect(200);
    expect(syncPage.text).to.contain(esc(SYNC_NOW_TEXTS.firstSyncHint));
    const token = formToken(syncPage.text, 'sync-start-form');
    const runsBefore = await suite.world.knex('qbo_sync_runs').where({ account_id: suite.world.accounts.northwind }).count<{ count: string }[]>('* as count');

    const refused = await admin.post(`${MOUNT}/sync/start`).type('form').send({ kind: 'onboarding' }).expect(403);
    expect(noticeOf(refused.text)).to.equal(esc(SYNC_NOW_TEXTS.formExpired));
    await bluebirdAdmin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: token, kind: 'onboarding' }).expect(403);

    // Another process holds the account: the engine's lock answers, and the page says so.
    const lock = await new AccountLockRepository(suite.world.knex).tryLock(suite.world.accounts.northwind);
    try {
      const busy = await admin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: token, kind: 'onboarding' }).expect(303);
      expect(busy.headers['location']).to.equal(`${MOUNT}/sync?notice=already_running`);
      await suite.world.work.plugin.settled();
    } finally {
      await lock?.release();
    }
    const runsAfter = await suite.world.knex('qbo_sync_runs').where({ account_id: suite.world.accounts.northwind }).count<{ count: string }[]>('* as count');
    expect(runsAfter).to.deep.equal(runsBefore);
    const nothing = await admin.post(`${MOUNT}/sync/cancel`).type('form').send({ _csrf: token }).expect(303);
    expect(nothing.headers['location']).to.equal(`${MOUNT}/sync?notice=nothing_to_cancel`);

    const started = await admin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: token, kind: 'onboarding' }).expect(303);
    expect(started.headers['location']).to.equal(`${MOUNT}/sync?notice=started`);
    await suite.world.work.plugin.settled();

    const progress = await admin.get(`${MOUNT}/sync/progress`).expect(200).expect('Content-Type', /json/);
    const body = progress.body as { running: boolean; run: { status: string; percent: number; done: number; expected: number; counts: { entity: string }[] } };
    expect(body.running).to.equal(false);
    expect(body.run.status).to.equal('succeeded');
    expect(body.run.percent).to.equal(100);
    expect(body.run.done).to.equal(body.run.expected);
    expect(body.run.counts.map((c) => c.entity)).to.include('client');
    await bluebirdAdmin.get(`${MOUNT}/sync/progress`).expect(200).expect((r) => expect((r.body as { run: unknown }).run).to.equal(null));

    const done = await admin.get(`${MOUNT}/sync`).expect(200);
    expect(done.text).to.contain('id="run-counts"');
    expect(done.text).not.to.contain('http-equiv="refresh"');
    expect(done.text).to.contain('Finished');
    const history = await admin.get(`${MOUNT}/history`).expect(200);
    const runs = tableRows(history.text, 'history-table');
    expect(runs).to.have.length(1);
    expect(runs[0]?.[1]).to.contain('First sync');
    expect(runs[0]?.[3]).to.match(/Clients:.*Created in QuickBooks \d+/);
    expect(runs[0]?.[4]).to.contain('Finished');
    const other = await bluebirdAdmin.get(`${MOUNT}/history`).expect(200);
    expect(tableRows(other.text, 'history-table')[0]?.[0]).to.equal(esc('No sync has run yet.'));
  });

  it('shows a running sync live (script and a no-script refresh) and cancels it at its next checkpoint, keeping what it did', async () => {
    // QuickBooks answers the run's first read slowly, so the run is surely still going while the admin looks.
    suite.world.sandbox.control.armFault({ kind: 'delay', path: '/query', delayMs: 1500, count: 1, realmId: suite.world.companies.usPlus.realmId });
    const token = formToken((await admin.get(`${MOUNT}/sync`).expect(200)).text, 'sync-start-form');
    const started = await admin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: token, kind: 'manual' }).expect(303);
    expect(started.headers['location']).to.equal(`${MOUNT}/sync?notice=started`);
    const running = await admin.get(`${MOUNT}/sync`).expect(200);
    expect(running.text).to.contain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(running.text).to.contain(`<script src="${MOUNT}/assets/qbo-sync.js" defer></script>`);
    expect(running.text).to.contain('data-running="true"');
    expect(((await admin.get(`${MOUNT}/sync/progress`).expect(200)).body as { running: boolean }).running).to.equal(true);
    const again = await admin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: token, kind: 'manual' }).expect(303);
    expect(again.headers['location']).to.equal(`${MOUNT}/sync?notice=already_running`);

    const cancel = await admin.post(`${MOUNT}/sync/cancel`).type('form').send({ _csrf: formToken(running.text, 'sync-cancel-form') }).expect(303);
    expect(cancel.headers['location']).to.equal(`${MOUNT}/sync?notice=cancelling`);
    await suite.world.work.plugin.settled();
    const progress = (await admin.get(`${MOUNT}/sync/progress`).expect(200)).body as { running: boolean; run: { status: string; statusLabel: string } };
    expect(progress.running).to.equal(false);
    expect(progress.run.status).to.equal('cancelled');
    const after = await admin.get(`${MOUNT}/sync`).expect(200);
    expect(after.text).to.contain(esc(SYNC_TEXTS.runCancelled));
    expect(after.text).not.to.contain('http-equiv="refresh"');
    const history = tableRows((await admin.get(`${MOUNT}/history`).expect(200)).text, 'history-table');
    expect(history[0]?.[1]).to.contain('Sync now');
    expect(history[0]?.[4]).to.contain('Cancelled');
  });

  it('is not blocked by a run a stopped server left "running": the next start closes it and runs', async () => {
    const { knex, accounts } = suite.world;
    const [stale] = await knex('qbo_sync_runs').insert({ account_id: accounts.northwind, kind: 'manual', status: 'running', started_at: new Date(Date.now() - 3_600_000), updated_at: new Date(Date.now() - 3_600_000) }).returning('id');
    const staleId = String((stale as { id: string | number }).id);
    const page = await admin.get(`${MOUNT}/sync`).expect(200);
    expect(page.text).to.contain('data-running="true"');
    const started = await admin.post(`${MOUNT}/sync/start`).type('form').send({ _csrf: formToken(page.text, 'sync-start-form'), kind: 'manual' }).expect(303);
    expect(started.headers['location']).to.equal(`${MOUNT}/sync?notice=started`);
    await suite.world.work.plugin.settled();
    const closed = await knex('qbo_sync_runs').where({ id: staleId }).first();
    expect([closed?.status, closed?.error]).to.deep.equal(['cancelled', SYNC_TEXTS.runAbandoned]);
    const newest = await knex('qbo_sync_runs').where({ account_id: accounts.northwind }).orderBy('id', 'desc').first();
    expect(newest?.status).to.equal('succeeded');
  });

  it('filters the log by type, outcome, run, record and text, and exports the filtered log as CSV with formulas neutralised', async () => {
    const runId = String((await suite.world.knex('qbo_sync_runs').where({ account_id: suite.world.accounts.northwind }).first('id'))?.id);
    const formula = await insertLog('northwind', { reason: '=HYPERLINK("http://evil.test","click")', work_id: '=1+1', fault_code: '@SUM(A1)', intuit_tid: '+tid-1', run_id: runId });
    await insertLog('northwind', { reason: '-2+3 <b>bold</b>', outcome: 'failed', entity: 'invoice', work_id: 'inv-1' });
    await insertLog('bluebird', { reason: 'Bluebird secret entry' });

    const created = await admin.get(`${MOUNT}/log?outcome=created_in_qbo`).expect(200);
    const createdRows = tableRows(created.text, 'log-table');
    expect(createdRows.length).to.be.greaterThan(0);
    expect(createdRows.every((r) => r[3]?.startsWith('Created in QuickBooks'))).to.equal(true);
    const invoices = await admin.get(`${MOUNT}/log?entity=invoice`).expect(200);
    expect(tableRows(invoices.text, 'log-table')).to.have.length(1);
    expect(invoices.text).to.contain('-2+3 &lt;b&gt;bold&lt;/b&gt;');
    const byRun = await admin.get(`${MOUNT}/log?run=${runId}&q=HYPERLINK`).expect(200);
    const runRows = tableRows(byRun.text, 'log-table');
    expect(runRows).to.have.length(1);
    expect(byRun.text).to.contain(`id="log-entry-${formula}"`);
    const byRecord = await admin.get(`${MOUNT}/log?work=inv-1`).expect(200);
    expect(tableRows(byRecord.text, 'log-table')).to.have.length(1);
    const wildcard = await admin.get(`${MOUNT}/log?q=%25`).expect(200);
    expect(tableRows(wildcard.text, 'log-table')[0]?.[0], 'a % is searched as typed').to.equal(esc(LOG_TEXTS.none));
    const bad = await admin.get(`${MOUNT}/log?outcome=nonsense`).expect(200);
    expect(noticeOf(bad.text)).to.equal(esc(LOG_TEXTS.badFilter));
    const otherAccount = await bluebirdAdmin.get(`${MOUNT}/log`).expect(200);
    expect(otherAccount.text).to.contain('Bluebird secret entry');
    expect((await admin.get(`${MOUNT}/log`).expect(200)).text).not.to.contain('Bluebird secret entry');

    const csv = await admin.get(`${MOUNT}/log.csv?run=${runId}&q=HYPERLINK`).expect(200).expect('Content-Type', /text\/csv/);
    expect(csv.headers['content-disposition']).to.match(/attachment; filename="quickbooks-sync-log\.csv"/);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal(LOG_TEXTS.csvColumns.join(','));
    expect(lines[1]).to.contain(`,"'=HYPERLINK(""http://evil.test"",""click"")",`);
    expect(lines[1]).to.contain(`,"'=1+1",`);
    expect(lines[1]).to.contain(`,"'@SUM(A1)","'+tid-1",`);
    const all = await admin.get(`${MOUNT}/log.csv?entity=invoice`).expect(200);
    expect(all.text).to.contain(`"'-2+3 <b>bold</b>"`);
    expect(all.text).not.to.contain('Bluebird');
  });

  it('retries and dismisses one entry or a selection; other accounts\' ids are 404 and a missing token 403, changing nothing', async () => {
    const failed = await insertLog('northwind', { reason: 'Needs a retry', work_id: '999999' });
    const second = await insertLog('northwind', { reason: 'Second failure', work_id: '999998' });
    const review = await insertLog('northwind', { reason: 'Not a failure', outcome: 'review', level: 'warning' });
    const foreign = await insertLog('bluebird', { reason: 'Bluebird failure' });
    const page = await admin.get(`${MOUNT}/log?outcome=failed`).expect(200);
    const token = formToken(page.text, 'log-actions-form');
    expect(page.text).to.contain(`formaction="${MOUNT}/log/${failed}/retry"`);

    await admin.post(`${MOUNT}/log/${failed}/retry`).type('form').send({}).expect(403);
    await admin.post(`${MOUNT}/log/${foreign}/retry`).type('form').send({ _csrf: token }).expect(404);
    await admin.post(`${MOUNT}/log/${foreign}/dismiss`).type('form').send({ _csrf: token }).expect(404);
    await admin.post(`${MOUNT}/log/actions`).type('form').send({ _csrf: token, action: 'dismiss', ids: [failed, foreign] }).expect(404);
    expect((await suite.world.knex('qbo_sync_log').whereIn('id', [failed, foreign]).whereNotNull('dismissed_at')).length, 'nothing of a refused selection is done').to.equal(0);
    const notRetryable = await admin.post(`${MOUNT}/log/${review}/retry`).type('form').send({ _csrf: token }).expect(409);
    expect(noticeOf(notRetryable.text)).to.equal(esc(LOG_TEXTS.notRetryable));
    await admin.post(`${MOUNT}/log/actions`).type('form').send({ _csrf: token, action: 'retry' }).expect(400);

    const retried = await admin.post(`${MOUNT}/log/${failed}/retry`).type('form').send({ _csrf: token, outcome: 'failed' }).expect(303);
    expect(retried.headers['location']).to.equal(`${MOUNT}/log?outcome=failed&notice=retried&n=1`);
    const row = (await northwindLog({ id: failed }))[0] as { next_attempt_at: Date | null; retried_at: Date | null };
    expect(row.next_attempt_at).to.be.instanceOf(Date);
    expect(row.retried_at).to.be.instanceOf(Date);
    const shown = await admin.get(retried.headers['location'] ?? '').expect(200);
    expect(noticeOf(shown.text)).to.equal(esc(LOG_TEXTS.retried(1)));

    const bulk = await admin.post(`${MOUNT}/log/actions`).type('form').send({ _csrf: token, action: 'dismiss', ids: [failed, second] }).expect(303);
    expect(bulk.headers['location']).to.equal(`${MOUNT}/log?notice=dismissed&n=2`);
    const dismissed = await northwindLog({ outcome: 'failed' });
    expect(dismissed.filter((r: { id: string | number; dismissed_at: Date | null; next_attempt_at: Date | null }) => [failed, second].includes(String(r.id))).every((r: { dismissed_at: Date | null; next_attempt_at: Date | null }) => r.dismissed_at !== null && r.next_attempt_at === null)).to.equal(true);
    expect((await suite.world.knex('qbo_sync_log').where({ id: foreign }).first())?.dismissed_at).to.equal(null);
  });

  it('lists ambiguous matches side by side and resolves them; bad choices are 422, other accounts\' entries 404, a missing token 403', async () => {
    const page = await admin.get(`${MOUNT}/review`).expect(200);
    const ids = [...page.text.matchAll(/<form method="post" action="[^"]*\/review\/(\d+)" id="review-\d+-form">/g)].map((m) => m[1] ?? '');
    expect(ids.length, 'the seeds leave ambiguous matches').to.be.greaterThan(0);
    const id = ids[0] ?? '';
    const token = formToken(page.text, `review-${id}-form`);
    expect(page.text).to.match(new RegExp(`<section class="card" aria-labelledby="review-${id}-title" id="review-${id}">[\\s\\S]*?<table class="side-by-side">`));

    await admin.post(`${MOUNT}/review/${id}`).type('form').send({ decision: 'skip' }).expect(403);
    const none = await admin.post(`${MOUNT}/review/${id}`).type('form').send({ _csrf: token }).expect(422);
    expect(noticeOf(none.text)).to.equal(esc(REVIEW_TEXTS.chooseOne));
    const bad = await admin.post(`${MOUNT}/review/${id}`).type('form').send({ _csrf: token, decision: 'link:424242' }).expect(422);
    expect(noticeOf(bad.text)).to.equal(esc(REVIEW_TEXTS.badCandidate));
    const bluebirdToken = formToken((await bluebirdAdmin.get(`${MOUNT}/log`).expect(200)).text, 'log-actions-form');
    const foreign = await bluebirdAdmin.post(`${MOUNT}/review/${id}`).type('form').send({ _csrf: bluebirdToken, decision: 'skip' }).expect(404);
    expect(noticeOf(foreign.text)).to.equal(esc(REVIEW_TEXTS.notFound));
    expect((await suite.world.knex('qbo_review').where({ id }).first())?.status).to.equal('open');

    // Link the Work client to the candidate QuickBooks customer the admin picks.
    const choice = new RegExp(`<input type="radio" name="decision" id="review-${id}-choice-0" value="link:(\\d+)">`).exec(page.text)?.[1] ?? '';
    expect(choice).to.match(/^\d+$/);
    const linked = await admin.post(`${MOUNT}/review/${id}`).type('form').send({ _csrf: token, decision: `link:${choice}` }).expect(303);
    expect(linked.headers['location']).to.equal(`${MOUNT}/review?notice=linked`);
    const entry = await suite.world.knex('qbo_review').where({ id }).first();
    expect(entry?.status).to.equal('linked');
    const mapping = await suite.world.knex('qbo_mappings').where({ account_id: suite.world.accounts.northwind, entity: 'client', work_id: entry?.work_id }).first();
    expect(mapping?.qbo_id).to.equal(choice);
    const again = await admin.post(`${MOUNT}/review/${id}`).type('form').send({ _csrf: token, decision: 'skip' }).expect(409);
    expect(noticeOf(again.text)).to.equal(esc(REVIEW_TEXTS.alreadyResolved));

    // The QuickBooks-side entries of the same group now point at a linked client: linking is refused with the reason.
    const others = await suite.world.knex('qbo_review').where({ account_id: suite.world.accounts.northwind, status: 'open', entity: 'client' }).whereNotNull('qbo_id');
    const clash = others.find((o: { candidates: { workId?: string }[] }) => o.candidates.some((c) => c.workId === entry?.work_id));
    if (!clash) throw new Error('the seeds leave a QuickBooks-side entry for the same client');
    const refused = await admin.post(`${MOUNT}/review/${String(clash.id)}`).type('form').send({ _csrf: token, decision: `link:${String(entry?.work_id)}` }).expect(409);
    expect(noticeOf(refused.text)).to.equal(esc(REVIEW_CLASH_TEXTS.alreadyLinked));
    expect((await suite.world.knex('qbo_review').where({ id: clash.id }).first())?.status).to.equal('open');

    // A site under review can only be skipped (its client decides the rest).
    const [siteEntry] = await suite.world.knex('qbo_review')
      .insert({ account_id: suite.world.accounts.northwind, entity: 'site', work_id: '77', candidates: JSON.stringify([{ qboId: '1', fields: { name: 'A' } }, { qboId: '2', fields: { name: 'B' } }]), reason_code: 'ambiguous_match', reason: 'Two sub-customers could be this site.' })
      .returning('id');
    const siteId = String((siteEntry as { id: string | number }).id);
    await admin.post(`${MOUNT}/review/${siteId}`).type('form').send({ _csrf: token, decision: 'link:1' }).expect(422);
    const skipped = await admin.post(`${MOUNT}/review/${siteId}`).type('form').send({ _csrf: token, decision: 'skip' }).expect(303);
    expect(skipped.headers['location']).to.equal(`${MOUNT}/review?notice=skipped`);
    expect((await suite.world.knex('qbo_review').where({ id: siteId }).first())?.status).to.equal('skipped');
    await admin.post(`${MOUNT}/review/99999999`).type('form').send({ _csrf: token, decision: 'skip' }).expect(404);
  });

  it('shows each record\'s QuickBooks status on Work\'s own pages (linked, waiting, failed with the reason, not synced), the log link for admins only', async () => {
    const { knex, accounts } = suite.world;
    const evergreen = await knex('clients').where({ account_id: accounts.northwind, company_name: 'Evergreen Landscaping' }).first('id');
    const evergreenId = String(evergreen?.id);
    const mapping = await knex('qbo_mappings').where({ account_id: accounts.northwind, entity: 'client', work_id: evergreenId }).first();
    const list = await admin.get('/clients').expect(200);
    expect(list.text).to.contain('<th>QuickBooks</th>');
    const cell = new RegExp(`<td data-sync="${evergreenId}">([\\s\\S]*?)</td>`).exec(list.text)?.[1] ?? '';
    expect(cell).to.contain(`Linked (QuickBooks #${String(mapping?.qbo_id)})`);
    expect(cell).to.contain(`href="${MOUNT}/log?entity=client&amp;work=${evergreenId}"`);

    // A failure not dismissed wins, with its reason; the link opens the log filtered for the record.
    await insertLog('northwind', { work_id: evergreenId, reason: 'QuickBooks refused the <address>.' });
    const detail = await admin.get(`/clients/${evergreenId}`).expect(200);
    const field = /<td id="sync-status">([\s\S]*?)<\/td>/.exec(detail.text)?.[1] ?? '';
    expect(field).to.contain('Sync failed');
    expect(field).to.contain('QuickBooks refused the &lt;address&gt;.');
    const logged = await admin.get(`${MOUNT}/log?entity=client&work=${evergreenId}`).expect(200);
    expect(tableRows(logged.text, 'log-table').every((r) => r[2]?.startsWith(`Client #${evergreenId} in Work`))).to.equal(true);

    // Staff see the status, not the admin-only log link; another account's ids say nothing about this one.
    const staff = await agentFor(suite.world, 'northwindStaff');
    const staffDetail = await staff.get(`/clients/${evergreenId}`).expect(200);
    expect(staffDetail.text).to.contain('Sync failed');
    expect(staffDetail.text).not.to.contain(`${MOUNT}/log?`);
    const foreign = await suite.world.work.plugin.recordStatus(accounts.bluebird, 'client', [evergreenId]);
    expect(foreign.get(evergreenId)?.state).to.equal('not_synced');

    const invoices = await admin.get('/invoices').expect(200);
    expect(invoices.text).to.contain('<th>QuickBooks</th>');
    const firstInvoice = /<td data-sync="([^"]+)">([\s\S]*?)<\/td>/.exec(invoices.text);
    expect(firstInvoice?.[2]).to.match(/Not synced|Waiting to sync/);
  });

  it('lists pushed invoices whose QuickBooks total differs, with the difference and the FAQ\'s explanation, for the admin\'s account only', async () => {
    const { knex, accounts } = suite.world;
    const invoice = await knex('invoices').where({ account_id: accounts.northwind }).orderBy('id').first<{ id: string | number; number: string }>('id', 'number');
    const row = { qbo_tax: '0.08', qbo_balance: '1.08', updated_at: new Date() };
    await knex('qbo_invoice_reconciliation').insert([
      { ...row, account_id: accounts.northwind, work_invoice_id: String(invoice?.id), qbo_invoice_id: '901', work_total: '1.0799640000', qbo_total: '1.07', difference_cents: '-1', explainable_cents: '2', explained: true },
      { ...row, account_id: accounts.northwind, work_invoice_id: '999999', qbo_invoice_id: '902', work_total: '1234.5000000000', qbo_total: '1334.50', difference_cents: '10000', explainable_cents: '2', explained: false },
      { ...row, account_id: accounts.northwind, work_invoice_id: '999998', qbo_invoice_id: '903', work_total: '10.0000000000', qbo_total: '10.00', difference_cents: '0', explainable_cents: '0', explained: true },
      { ...row, account_id: accounts.bluebird, work_invoice_id: '5', qbo_invoice_id: '904', work_total: '7.0000000000', qbo_total: '7.01', difference_cents: '1', explainable_cents: '1', explained: true },
    ]);
    const staff = await agentFor(suite.world, 'northwindStaff');
    await staff.get(`${MOUNT}/reconciliation`).expect(403);
    const page = await admin.get(`${MOUNT}/reconciliation`).expect(200);
    const rows = tableRows(page.text, 'reconciliation-table');
    expect(rows.map((r) => r.slice(0, 5))).to.deep.equal([
      ['Invoice #999999 (no longer in Work)', 'QuickBooks invoice #902', '1,234.50', '1,334.50', '+100.00'],
      [`Invoice ${String(invoice?.number)}`, 'QuickBooks invoice #901', '1.08', '1.07', '−0.01'],
    ]);
    expect(rows[0]?.[5]).to.contain('Check in QuickBooks').and.contain('more than rounding can explain');
    expect(rows[1]?.[5]).to.contain('Rounding').and.contain('QuickBooks rounds each line to the cent');
    const other = await bluebirdAdmin.get(`${MOUNT}/reconciliation`).expect(200);
    expect(tableRows(other.text, 'reconciliation-table').map((r) => r[1])).to.deep.equal(['QuickBooks invoice #904']);
  });
});
