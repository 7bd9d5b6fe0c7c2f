/**
 * Shared by the ops-*.test.ts files (not a test file): the plugin mounted in the small test host, listening on
 * a real port over the shared PostgreSQL, its log captured; connection fixtures; Intuit-style signing.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { register, type PluginHandle, type PluginOptions } from '../../plugin/index';
import { createLogger } from '../../plugin/logger';
import { testPluginOptions } from '../support/plugin-options';
import { createTestHost } from '../support/test-host';

export const MOUNT = '/settings/integrations/quickbooks';
export const VERIFIER_TOKEN = 'test-verifier-token-0f3a9c';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface RunningPlugin {
  baseUrl: string;
  handle: PluginHandle;
  logs: LogLine[];
  close(): Promise<void>;
}

export async function startPlugin(knex: Knex, overrides: Partial<PluginOptions> = {}, clock?: () => Date): Promise<RunningPlugin> {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const { app, host } = createTestHost(knex);
  const handle = register(host, testPluginOptions({ webhookVerifierToken: VERIFIER_TOKEN, ...overrides }), {
    logger: createLogger('info', sink),
    ...(clock ? { clock } : {}),
  });
  await handle.start();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    handle,
    logs,
    async close() {
      await handle.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A connection row as the connect flow leaves it (tokens are opaque placeholders: nothing calls QuickBooks). */
export async function insertConnection(
  knex: Knex,
  accountId: string,
  realmId: string,
  status: 'connected' | 'needs_reconnect' | 'disconnected' = 'connected',
): Promise<void> {
  await knex('qbo_connections').insert({
    account_id: accountId,
    realm_id: realmId,
    status,
    company_name: `Company ${realmId}`,
    key_id: status === 'disconnected' ? null : 'test',
    access_token_enc: status === 'disconnected' ? null : 'enc-access',
    refresh_token_enc: status === 'disconnected' ? null : 'enc-refresh',
    needs_reconnect_reason: status === 'needs_reconnect' ? 'invalid_grant' : null,
  });
}

export function signIntuit(raw: string | Buffer, token = VERIFIER_TOKEN): string {
  return createHmac('sha256', token).update(raw).digest('base64');
}

export interface PostAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POST a raw body to the webhook endpoint; `signature: null` sends none. */
export async function postWebhook(
  baseUrl: string,
  raw: string | Buffer,
  opts: { signature?: string | null; contentType?: string } = {},
): Promise<PostAnswer> {
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
  const signature = opts.signature === undefined ? signIntuit(raw) : opts.signature;
  if (signature !== null) headers['intuit-signature'] = signature;
  const response = await fetch(`${baseUrl}${MOUNT}/webhooks`, { method: 'POST', headers, body: raw });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body };
}

export function legacyBody(realmId: string, entities: { name: string; id: string; operation: string; lastUpdated: string }[]): string {
  return JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
}

export function cloudEvent(realmId: string, entityId: string, opts: { id?: string; type?: string; time?: string } = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: opts.id ?? `evt-${entityId}-${Math.random().toString(36).slice(2)}`,
    source: 'intuit.test',
    type: opts.type ?? 'qbo.customer.updated.v1',
    datacontenttype: 'application/json',
    time: opts.time ?? '2026-12-01T10:00:00.000Z',
    intuitentityid: entityId,
    intuitaccountid: realmId,
    data: {},
  };
}

export async function countRows(knex: Knex, table: string): Promise<number> {
  const row = await knex(table).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}
