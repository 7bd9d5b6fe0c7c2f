import crypto from 'node:crypto';
import type { PluginOptions } from '../../plugin/config';

/** One random AES-256 key per test run: tests never depend on a fixed secret. */
const TEST_KEY = crypto.randomBytes(32).toString('base64');

/** Valid plugin options for tests; the Intuit endpoints default to Intuit's hosts unless overridden. */
export function testPluginOptions(overrides: Partial<PluginOptions> = {}): PluginOptions {
  return {
    logLevel: 'silent',
    clientId: 'test-client-id',
    clientSecret: 'test-client-secret',
    redirectUri: 'http://127.0.0.1/settings/integrations/quickbooks/callback',
    tokenEncryptionKeys: { test: TEST_KEY },
    tokenEncryptionKeyId: 'test',
    // Tests drive runs themselves; suites about the schedules turn them on.
    syncJobs: false,
    ...overrides,
  };
}
