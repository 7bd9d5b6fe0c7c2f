/**
 * Shared by the sandbox-*.test.ts files: a sandbox on an ephemeral port with the real store, and small
 * HTTP helpers. The API router is a stand-in (create/read customer, batch) so these tests exercise the
 * server half (auth, limits, faults, idempotency, control) and not the API half's validation.
 */
import express, { type Router } from 'express';
import { SandboxStore } from '../../dev/qbo-sandbox/store/sandbox-store';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../dev/qbo-sandbox/server';

export function standInApiRouter(store: SandboxStore): Router {
  const router = express.Router({ mergeParams: true });
  router.use(express.json());
  const realmOf = (params: unknown): string => String((params as Record<string, string>).realmId);
  router.post('/customer', (req, res) => {
    const [created] = store.bulkLoad(realmOf(req.params), 'Customer', [req.body as Record<string, unknown>]);
    res.json({ Customer: created, time: store.clock.now().toISOString() });
  });
  router.get('/customer/:id', (req, res) => {
    const found = store.all(realmOf(req.params), 'Customer').find((customer) => customer.Id === req.params.id);
    if (!found) return void res.status(400).json({ Fault: { Error: [{ Message: 'Object Not Found', code: '610' }], type: 'ValidationFault' } });
    res.json({ Customer: found, time: store.clock.now().toISOString() });
  });
  // Shows what the handlers behind the middleware see of the query (minorversion rewriting).
  router.get('/echo-query', (req, res) => void res.json({ query: req.query }));
  router.post('/batch', (req, res) => {
    const items = ((req.body as { BatchItemRequest?: Array<{ bId: string }> }).BatchItemRequest ?? []);
    res.json({ BatchItemResponse: items.map((item) => ({ bId: item.bId })), time: store.clock.now().toISOString() });
  });
  return router;
}

export function startTestSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({
    ...options,
    parts: ({ clock }) => {
      const store = new SandboxStore({ clock });
      return { store, apiRouter: standInApiRouter(store) };
    },
  });
}

export interface ApiCall {
  method?: string;
  body?: unknown;
  accept?: string | null;
  token?: string;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

export async function callApi(sandbox: RunningSandbox, realmPath: string, call: ApiCall = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  if (call.accept !== null) headers.accept = call.accept ?? 'application/json';
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method: call.method ?? (call.body === undefined ? 'GET' : 'POST'), headers };
  if (call.body !== undefined) init.body = JSON.stringify(call.body);
  const response = await fetch(`${sandbox.baseUrl}/v3/company/${realmPath}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, body: parseObject(text), text };
}

/** Runs `count` tasks, at most `parallel` at a time. */
export async function inBatches<T>(count: number, parallel: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += parallel) {
    const size = Math.min(parallel, count - start);
    results.push(...(await Promise.all(Array.from({ length: size }, (_, offset) => task(start + offset)))));
  }
  return results;
}
