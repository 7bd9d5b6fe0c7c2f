/**
 * Bodies the parser refuses (too large, too many or too deeply nested fields, an unknown charset or
 * content encoding, broken gzip) get Work's own plain error page with the right status, on the anonymous
 * login page, on Work's pages and on the plugin's settings page: never Express's default page with a stack
 * trace, absolute paths or template source.
 */
import zlib from 'node:zlib';
import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { messages } from '../../dev/host/web/messages';
import { testKnex } from '../support/test-database';
import type { TestUser } from './standin-fixtures';
import { rowCounts, signIn, startAcmeWork, type Agent } from './standin-web-support';

const FORM = 'application/x-www-form-urlencoded';

interface BadBody {
  label: string;
  status: number;
  message: string;
  headers: Record<string, string>;
  body: Buffer | string;
}

const BAD_BODIES: BadBody[] = [
  { label: 'over the size limit', status: 413, message: messages.requestTooLarge, headers: { 'Content-Type': FORM }, body: `notes=${'x'.repeat(300_000)}` },
  {
    label: 'too many fields',
    status: 413,
    message: messages.requestTooLarge,
    headers: { 'Content-Type': FORM },
    body: Array.from({ length: 6000 }, (_, i) => `f${i}=1`).join('&'),
  },
  { label: 'too deeply nested fields', status: 400, message: messages.badRequest, headers: { 'Content-Type': FORM }, body: `${'a'.concat('[b]'.repeat(40))}=1` },
  { label: 'an unknown charset', status: 415, message: messages.unsupportedEncoding, headers: { 'Content-Type': `${FORM}; charset=klingon` }, body: 'email=a' },
  { label: 'an unknown content encoding', status: 415, message: messages.unsupportedEncoding, headers: { 'Content-Type': FORM, 'Content-Encoding': 'compress' }, body: 'email=a' },
  { label: 'a broken gzip body', status: 400, message: messages.badRequest, headers: { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, body: zlib.gzipSync('email=a').subarray(0, 12) },
];

/** What Express's default error page and a leaked stack trace look like. */
function expectNoInternals(text: string): void {
  expect(text).not.to.match(/\n\s+at /);
  expect(text).not.to.contain('node_modules');
  expect(text).not.to.contain(process.cwd());
  expect(text).not.to.contain('<%');
  expect(text).not.to.contain('Error:');
}

describe('stand-in error pages for bodies the parser refuses', () => {
  let knex: Knex;
  let work: WorkApp & { errors: unknown[] };
  let admin: TestUser;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    ({ work, admin } = await startAcmeWork(knex));
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  async function send(agent: Agent, path: string, bad: BadBody): Promise<request.Response> {
    let req = agent.post(path);
    for (const [name, value] of Object.entries(bad.headers)) req = req.set(name, value);
    return req.send(bad.body);
  }

  for (const bad of BAD_BODIES) {
    it(`answers ${bad.status} with a plain message for ${bad.label}, even on the anonymous login page`, async () => {
      const res = await send(request.agent(work.app), '/login', bad);
      expect(res.status).to.equal(bad.status);
      expect(res.text).to.contain(bad.message);
      expectNoInternals(res.text);
    });
  }

  it('answers the same way on Work’s pages and the plugin’s settings page when signed in, and saves nothing', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const before = await rowCounts(knex);
    for (const bad of BAD_BODIES) {
      for (const path of ['/clients', '/settings/integrations/quickbooks/connect']) {
        const res = await send(agent, path, bad);
        expect(res.status, `${bad.label} at ${path}`).to.equal(bad.status);
        expect(res.text, `${bad.label} at ${path}`).to.contain(bad.message);
        expectNoInternals(res.text);
      }
    }
    expect(await rowCounts(knex)).to.deep.equal(before);
    expect(work.errors, 'refused bodies are not server errors').to.deep.equal([]);
  });
});
