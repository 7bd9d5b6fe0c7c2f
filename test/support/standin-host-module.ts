/**
 * A host module for `work-qbo --host-module` that brings Work's side: the Work stand-in's models and
 * lifecycle events over the CLI's own knex (what a real host ships for its worker processes). Options come
 * from the environment as for `npm start` (QBO_* endpoints, client and token key). WORK_QBO_TEST_CLOCK_OFFSET_MS
 * moves this process's plugin clock (a test makes a lease run out without waiting for it);
 * WORK_QBO_TEST_STOP_GRACE_SECONDS shortens stop()'s grace period.
 */
import express from 'express';
import type { Knex } from 'knex';
import type { CliPluginHost } from '../../plugin/cli/main';
import { devPluginOptions, endpointOverridesFromEnv } from '../../dev/dev-plugin-options';
import { LifecycleBus } from '../../dev/host/lifecycle-bus';
import { migrateWork } from '../../dev/host/migrate';
import { createWorkModels } from '../../dev/host/models/work-models';
import { createWorkHost } from '../../dev/host/work-host-adapter';

export async function createPluginHost({ knex }: { knex: Knex }): Promise<CliPluginHost> {
  await migrateWork(knex);
  const bus = new LifecycleBus();
  const host = createWorkHost({ knex, bus, models: createWorkModels(knex, bus), pluginMounts: express.Router() });
  const offset = Number(process.env.WORK_QBO_TEST_CLOCK_OFFSET_MS ?? 0);
  const grace = process.env.WORK_QBO_TEST_STOP_GRACE_SECONDS;
  return {
    host,
    options: { ...devPluginOptions('http://127.0.0.1:3000', endpointOverridesFromEnv()), ...(grace === undefined ? {} : { stopGraceSeconds: Number(grace) }) },
    ...(offset !== 0 ? { clock: () => new Date(Date.now() + offset) } : {}),
  };
}
