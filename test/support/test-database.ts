import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { startDatabase, withDatabase, type RunningDatabase } from '../../dev/db/embedded-postgres';
import { migrateWork } from '../../dev/host/migrate';
import { migratePlugin } from '../../plugin/persistence/migrate';

/**
 * One server per test run (DATABASE_URL, else the embedded one), and fresh databases on it that are dropped
 * at the end. The shared database is migrated for both the Work stand-in and the plugin.
 */
let server: Promise<RunningDatabase> | null = null;
let shared: Promise<Knex> | null = null;
const created: { name: string; knex: Knex }[] = [];

function getServer(): Promise<RunningDatabase> {
  server ??= startDatabase('pg-test', (line) => process.stderr.write(`${line}\n`));
  return server;
}

/** A new, empty database on the test server. Dropped when the run ends. */
export async function createScratchDatabase(): Promise<{ knex: Knex; url: string }> {
  const srv = await getServer();
  const name = `qbo_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: srv.serverUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(srv.serverUrl, name);
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 20 } });
  created.push({ name, knex });
  return { knex, url };
}

/** The run's shared database, migrated for the stand-in and the plugin. */
export function testKnex(): Promise<Knex> {
  shared ??= (async () => {
    const { knex } = await createScratchDatabase();
    await migrateWork(knex);
    await migratePlugin(knex);
    return knex;
  })();
  return shared;
}

/** Empty every table of the shared database (keeping the migration tables). */
export async function truncateAll(): Promise<void> {
  const knex = await testKnex();
  const { rows } = await knex.raw<{ rows: { tablename: string }[] }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '%knex_migrations%'`,
  );
  if (rows.length === 0) return;
  await knex.raw(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

const DROP_CONCURRENCY = 4;

export async function closeTestDatabases(): Promise<void> {
  if (!server) return;
  const srv = await server;
  for (const { knex } of created) await knex.destroy();
  const admin = knexFactory({ client: 'pg', connection: srv.serverUrl, pool: { min: 0, max: DROP_CONCURRENCY } });
  try {
    // A few at a time: one by one, a run's dozens of drops outlast a hook's timeout on a busy machine.
    const names = created.map((c) => c.name);
    const dropNext = async (): Promise<void> => {
      for (let name = names.shift(); name !== undefined; name = names.shift()) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
    await Promise.all(Array.from({ length: DROP_CONCURRENCY }, dropNext));
  } finally {
    await admin.destroy();
  }
  created.length = 0;
  shared = null;
  await srv.stop();
  server = null;
}
