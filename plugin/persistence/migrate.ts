import path from 'node:path';
import type { Knex } from 'knex';

/** The plugin keeps its own migrations table so it never touches the host's migration history. */
export const PLUGIN_MIGRATIONS_TABLE = 'qbo_knex_migrations';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'migrations');

function migratorConfig(): Knex.MigratorConfig {
  // Under tsx the sources are .ts; after `npm run build` they are .js beside dist/plugin.
  const ext = path.extname(__filename);
  return { directory: MIGRATIONS_DIR, tableName: PLUGIN_MIGRATIONS_TABLE, loadExtensions: [ext] };
}

/** Bring the plugin's qbo_* tables up to date. Safe to call on every start. Returns the migrations applied now. */
export async function migratePlugin(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migratorConfig())) as [number, string[]];
  return applied;
}

export async function rollbackPlugin(knex: Knex): Promise<void> {
  await knex.migrate.rollback(migratorConfig(), true);
}
