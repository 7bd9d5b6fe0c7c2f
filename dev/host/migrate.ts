import path from 'node:path';
import type { Knex } from 'knex';

/** The stand-in's own migrations table, apart from the plugin's. */
export const WORK_MIGRATIONS_TABLE = 'work_knex_migrations';

export async function migrateWork(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: path.join(__dirname, 'migrations'),
    tableName: WORK_MIGRATIONS_TABLE,
    loadExtensions: [path.extname(__filename)],
  });
}
