/**
 * A host module for `work-qbo --host-module` in tests: what a real host ships so the CLI can build the plugin
 * with Work's side (here the small test host, which has no Work models).
 */
import type { Knex } from 'knex';
import type { CliPluginHost } from '../../plugin/cli/main';
import { testPluginOptions } from './plugin-options';
import { createTestHost } from './test-host';

export function createPluginHost({ knex }: { knex: Knex }): CliPluginHost {
  return { host: createTestHost(knex).host, options: testPluginOptions({ logLevel: 'info' }) };
}
