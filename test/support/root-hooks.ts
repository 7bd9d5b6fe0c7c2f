import nock from 'nock';
import sinon from 'sinon';
import { closeTestDatabases } from './test-database';

/** Only loopback is reachable from tests: every outside call fails loudly instead of leaking. */
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export const mochaHooks = {
  beforeAll(): void {
    nock.disableNetConnect();
    nock.enableNetConnect(LOOPBACK);
  },
  afterEach(): void {
    sinon.restore();
    nock.cleanAll();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    // Dropping every scratch database takes seconds each on a busy server (a create + drop: ~5 s at load 12).
    this.timeout(180_000);
    await closeTestDatabases();
    nock.enableNetConnect();
  },
};
