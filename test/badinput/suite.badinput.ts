import { amountAndEmailCases } from './families/amounts-and-emails';
import { browserCases } from './families/browser';
import { hostileNameCases } from './families/hostile-names';
import { oauthCases } from './families/oauth';
import { otherAccountCases } from './families/other-accounts';
import { uploadCases } from './families/uploads';
import { webhookCases } from './families/webhooks';
import { ledgerReport } from './ledger';
import { startBadInputWorld, type BadInputWorld } from './world';

/**
 * The bad-input suite (`npm run test:badinput`): cases generated from tables (family × field × value), over
 * real HTTP against the Work stand-in with the plugin and the QBO sandbox, on a real PostgreSQL. Each case
 * checks the status and the message a person reads, that nothing was lost or half-written, that no answer is
 * a 5xx or shows internals, and (for pages) that markup stays text.
 */
describe('bad input', function () {
  let w: BadInputWorld | undefined;
  const world = (): BadInputWorld => {
    if (!w) throw new Error('the world starts in the suite’s before hook');
    return w;
  };

  before(async function () {
    this.timeout(120_000);
    w = await startBadInputWorld();
  });

  // Each case answers for the errors of its own requests only.
  beforeEach(() => {
    if (w) w.world.errors.length = 0;
  });

  after(async function () {
    this.timeout(60_000);
    await w?.world.close();
    console.log(`\n${ledgerReport().join('\n')}`);
  });

  hostileNameCases(world);
  amountAndEmailCases(world);
  uploadCases(world);
  webhookCases(world);
  otherAccountCases(world);
  oauthCases(world);
  browserCases(world);
});
