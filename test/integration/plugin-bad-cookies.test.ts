/**
 * A malformed `qbo_sid` cookie (not valid percent-encoding) on any plugin route is treated as no cookie:
 * the settings page opens with a fresh session, the forms answer "out of date" and the callback refuses
 * the sign-in, never a 500.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import { register, type PluginHandle } from '../../plugin/index';
import { CONNECT_NOTICES } from '../../plugin/messages';
import { testPluginOptions } from '../support/plugin-options';
import { createScratchDatabase } from '../support/test-database';
import { asAdmin, createTestHost } from '../support/test-host';

const MOUNT = '/settings/integrations/quickbooks';
const BAD_VALUES = ['%E0%A4%A', '%', '%zz', '%C0%80%', 'a%'];

describe('plugin routes with a malformed qbo_sid cookie', () => {
  let knex: Knex;
  let plugin: PluginHandle;
  let app: ReturnType<typeof createTestHost>['app'];

  before(async () => {
    ({ knex } = await createScratchDatabase());
  });

  beforeEach(async () => {
    const test = createTestHost(knex);
    app = test.app;
    plugin = register(test.host, testPluginOptions());
    await plugin.start();
  });

  afterEach(async () => {
    await plugin.stop();
  });

  for (const value of BAD_VALUES) {
    it(`treats qbo_sid=${value} as absent on every route`, async () => {
      const cookie = `other=1; qbo_sid=${value}`;
      const page = await request(app).get(`${MOUNT}/`).set(asAdmin('A')).set('Cookie', cookie);
      expect(page.status).to.equal(200);
      const fresh = String(page.headers['set-cookie'] ?? '');
      expect(fresh, 'a new session replaces the bad cookie').to.match(/qbo_sid=[A-Za-z0-9_-]{43};/);

      for (const action of ['connect', 'disconnect']) {
        const res = await request(app).post(`${MOUNT}/${action}`).set(asAdmin('A')).set('Cookie', cookie).type('form').send({ _csrf: 'x' });
        expect(res.status, action).to.equal(303);
        expect(res.headers['location'], action).to.equal(`${MOUNT}/?notice=csrf_failed`);
      }

      const callback = await request(app).get(`${MOUNT}/callback?state=abc&code=x&realmId=123`).set(asAdmin('A')).set('Cookie', cookie);
      expect(callback.status).to.equal(303);
      expect(callback.headers['location']).to.match(/notice=/);
      const notice = new URL(String(callback.headers['location']), 'http://x').searchParams.get('notice') ?? '';
      expect(Object.keys(CONNECT_NOTICES)).to.include(notice);
    });
  }
});
