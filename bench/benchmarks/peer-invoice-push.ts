/**
 * The peer: the same invoice push done by node-quickbooks (npm, Intuit's long-standing community client,
 * one HTTP call per record: createInvoice → POST /invoice) and by the plugin's own QBO client with batches of
 * 30 (plugin/qbo/batch.ts runBatch; the client layer only, the sync engine comes later). Both run against
 * the in-process sandbox with Intuit's real limits on a compressed clock, with latency, each on a fresh
 * sandbox whose customers and items were bulk-loaded first (not counted).
 *
 * node-quickbooks is configured, not patched:
 * - `QuickBooks.V3_ENDPOINT_BASE_URL = <sandbox>/v3/company/` before constructing: the library builds every
 *   API URL from it (index.js: `this.endpoint = QuickBooks.V3_ENDPOINT_BASE_URL`, then endpoint + realmId).
 * - `oauthversion: '2.0'`: otherwise it signs OAuth 1.0a headers; with 2.0 it sends
 *   `Authorization: Bearer <token>`. The token is one the sandbox issued for the realm, as the plugin's gets.
 *   `QuickBooks.setOauthVersion('2.0')` is NOT called: it fetches Intuit's discovery document, and only
 *   the OAuth endpoints (unused here) come from it.
 * - Nothing else: it already sends minorversion=75 (its default) and `format=json`, and axios's default
 *   `Accept: application/json, text/plain, *\/*` names JSON, so the sandbox answers JSON as QBO would.
 *   It sends no requestid (its `Request-Id` header is not QBO's idempotency key), so a retried create could
 *   duplicate; the driver below only retries 429s, which QBO never applied.
 * - It has no rate limiter or retry: the driver runs 10 workers (QBO's concurrent limit per realm) and,
 *   on a 429, waits 60 sandbox seconds (Intuit's advice) before trying that record again.
 */
import Decimal from 'decimal.js';
import QuickBooks from 'node-quickbooks';
import type { Knex } from 'knex';
import { runBatch, MAX_BATCH_ITEMS, type BatchItemRequest } from '../../plugin/qbo/batch';
import { MAX_CONCURRENT_REQUESTS_PER_REALM } from '../../plugin/qbo/rate-limiter';
import { peakConcurrency, startSandboxClient, type SandboxClientHarness } from '../../test/support/sandbox-qbo-client';
import type { GeneratedData, GenInvoice } from '../data/generator';
import { loadQbo, type LoadedQbo } from '../data/load-qbo';
import type { Benchmark } from '../lib/benchmark';
import { figure, type Figure, type Size } from '../lib/figures';

/**
 * Sandbox time runs this many times faster than real time. S pushes fewer records than one QBO minute
 * allows, so no limit is reached and scale 1 keeps this machine's own CPU time from being multiplied into
 * "sandbox time"; M and L outlast the 500-a-minute window and need the compressed clock.
 */
const TIME_SCALE: Readonly<Record<Size, number>> = { S: 1, M: 5, L: 5 };
const LATENCY_SANDBOX_MS = 150;
const MINUTE_MS = 60_000;
const PEER_RETRY_AFTER_MS = 60_000;

export interface PushResult {
  invoices: number;
  created: number;
  calls: number;
  throttled: number;
  peakConcurrency: number;
  sandboxMs: number;
  wallMs: number;
}

/** The invoices to push: the first N whose client has a QBO customer (the matched ones). */
export function invoicesToPush(data: GeneratedData): GenInvoice[] {
  const matched = new Set(data.qbo.customers.filter((c) => c.matchesClientRef !== null).map((c) => c.matchesClientRef));
  const picked = data.work.invoices.filter((inv) => matched.has(inv.clientRef)).slice(0, data.spec.pushInvoices);
  if (picked.length < data.spec.pushInvoices) throw new Error(`only ${picked.length} invoices of matched clients; the size asks for ${data.spec.pushInvoices}`);
  return picked;
}

/**
 * The QBO body of a Work invoice, the same for both clients. Lines carry Qty × UnitPrice = Amount rounded
 * half-up to cents (QBO checks it); tax code NON on every line and no DocNumber (this company numbers
 * invoices itself): tax and numbering are the invoice engine's rules, not what this benchmark compares.
 */
export function invoiceBody(invoice: GenInvoice, loaded: LoadedQbo): Record<string, unknown> {
  const customerId = loaded.customerIdByClientRef.get(invoice.clientRef);
  if (customerId === undefined) throw new Error(`invoice ${invoice.ref}: client ${invoice.clientRef} has no QBO customer`);
  return {
    CustomerRef: { value: customerId },
    TxnDate: invoice.issueDate,
    DueDate: invoice.dueDate,
    Line: invoice.lines.map((line) => {
      const itemId = loaded.itemIdByRef.get(line.itemRef);
      if (itemId === undefined) throw new Error(`invoice ${invoice.ref}: item ${line.itemRef} not loaded`);
      const amount = new Decimal(line.quantity).times(line.unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      return {
        Description: line.description,
        Amount: Number(amount.toFixed(2)),
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: Number(line.quantity), UnitPrice: Number(line.unitPrice), TaxCodeRef: { value: 'NON' } },
      };
    }),
  };
}

async function withSandbox<T>(knex: Knex, data: GeneratedData, work: (h: SandboxClientHarness, loaded: LoadedQbo) => Promise<T>): Promise<T> {
  const scale = TIME_SCALE[data.size];
  const h = await startSandboxClient(knex, { timeScale: scale, latencyMs: LATENCY_SANDBOX_MS / scale });
  try {
    const loaded = loadQbo(h.sandbox.control, h.realmId, data);
    h.sandbox.control.clearRequests();
    return await work(h, loaded);
  } finally {
    await h.close();
  }
}

/** Counted in the sandbox's store, not taken from either client's word (the company starts with none). */
function result(h: SandboxClientHarness, invoices: number, startedSandbox: number, startedReal: number): PushResult {
  const log = h.requests();
  return {
    invoices,
    created: h.sandbox.store.all(h.realmId, 'Invoice').length,
    calls: log.length,
    throttled: log.filter((r) => r.status === 429).length,
    peakConcurrency: peakConcurrency(log),
    sandboxMs: h.sandbox.clock.nowMs() - startedSandbox,
    wallMs: Date.now() - startedReal,
  };
}

function createWithPeer(qbo: QuickBooks, body: Record<string, unknown>): Promise<{ ok: true } | { ok: false; status: number; detail: string }> {
  return new Promise((resolve) => {
    // The library's typings want its own Invoice shape; the body is QBO's JSON, which is what it sends.
    qbo.createInvoice(body as unknown as Parameters<QuickBooks['createInvoice']>[0], (err, _data, res?: { status?: number }) => {
      if (!err) resolve({ ok: true });
      else {
        const status = typeof res?.status === 'number' ? res.status : 0;
        resolve({ ok: false, status, detail: JSON.stringify(err).slice(0, 300) });
      }
    });
  });
}

export async function pushWithPeer(knex: Knex, data: GeneratedData): Promise<PushResult> {
  const invoices = invoicesToPush(data);
  return withSandbox(knex, data, async (h, loaded) => {
    QuickBooks.V3_ENDPOINT_BASE_URL = `${h.sandbox.baseUrl}/v3/company/`;
    const token = await h.tokens.getAccessToken(h.realmId);
    const qbo = new QuickBooks('bench-client-id', 'bench-client-secret', token, false, h.realmId, true, false, null, '2.0', null);
    const bodies = invoices.map((inv) => invoiceBody(inv, loaded));
    let next = 0;
    const startedSandbox = h.sandbox.clock.nowMs();
    const startedReal = Date.now();
    const worker = async (): Promise<void> => {
      for (let i = next++; i < bodies.length; i = next++) {
        for (;;) {
          const outcome = await createWithPeer(qbo, structuredClone(bodies[i] ?? {}));
          if (outcome.ok) break;
          if (outcome.status !== 429) throw new Error(`node-quickbooks createInvoice failed (${outcome.status}): ${outcome.detail}`);
          await h.clock.sleep(PEER_RETRY_AFTER_MS);
        }
      }
    };
    await Promise.all(Array.from({ length: MAX_CONCURRENT_REQUESTS_PER_REALM }, worker));
    return result(h, invoices.length, startedSandbox, startedReal);
  });
}

export async function pushWithPluginBatches(knex: Knex, data: GeneratedData): Promise<PushResult> {
  const invoices = invoicesToPush(data);
  return withSandbox(knex, data, async (h, loaded) => {
    const items: BatchItemRequest[] = invoices.map((inv) => ({ bId: `i${inv.ref}`, operation: 'create', entity: 'Invoice', payload: invoiceBody(inv, loaded) }));
    const chunks: BatchItemRequest[][] = [];
    for (let i = 0; i < items.length; i += MAX_BATCH_ITEMS) chunks.push(items.slice(i, i + MAX_BATCH_ITEMS));
    const run = `${Date.now()}`;
    const startedSandbox = h.sandbox.clock.nowMs();
    const startedReal = Date.now();
    // Every chunk at once: the client's limiter holds them to 10 at a time and 40 batch calls a minute.
    const answers = await Promise.all(chunks.map((part, n) => runBatch(h.client, h.realmId, part, `bench:${run}:peer-batch:${n}`)));
    const failed = answers.flatMap((m) => [...m.values()].filter((r) => !r.ok));
    if (failed.length > 0) throw new Error(`${failed.length} batch items failed, e.g. ${String(failed[0] && !failed[0].ok ? failed[0].error.message : '')}`);
    return result(h, invoices.length, startedSandbox, startedReal);
  });
}

export const benchmark: Benchmark = {
  name: 'peer invoice push (node-quickbooks vs plugin client batches)',
  async run(ctx): Promise<Figure[]> {
    const data = ctx.data();
    const n = data.spec.pushInvoices;
    ctx.log(`peer: ${n} invoices, node-quickbooks one call each vs the plugin's client in batches of ${MAX_BATCH_ITEMS}; time scale ${TIME_SCALE[data.size]}, ${LATENCY_SANDBOX_MS} ms latency`);
    const knex = await ctx.scratchDatabase();
    const peer = await pushWithPeer(knex, data);
    ctx.log(`  node-quickbooks: ${peer.calls} calls, ${(peer.sandboxMs / MINUTE_MS).toFixed(2)} sandbox-min, ${peer.throttled} × 429`);
    const ours = await pushWithPluginBatches(knex, data);
    ctx.log(`  plugin batches:  ${ours.calls} calls, ${(ours.sandboxMs / MINUTE_MS).toFixed(2)} sandbox-min, ${ours.throttled} × 429`);
    for (const r of [peer, ours]) if (r.created !== r.invoices) throw new Error(`pushed ${r.created} of ${r.invoices} invoices`);
    const floor = Math.ceil(n / MAX_BATCH_ITEMS);
    return [
      figure('peer.node_quickbooks.calls', `push ${n} invoices, node-quickbooks (1 call/record): API calls`, peer.calls, 'calls'),
      figure('peer.node_quickbooks.sandbox_minutes', 'push, node-quickbooks: sandbox time', peer.sandboxMs / MINUTE_MS, 'QBO-min', null, `${peer.throttled} × 429`),
      figure('peer.plugin.calls', `push ${n} invoices, plugin client (batches of 30): API calls`, ours.calls, 'calls'),
      figure('peer.plugin.calls_vs_floor', 'push, plugin client: calls ÷ ceil(N/30) (client layer only)', ours.calls / floor, '×', { op: '<=', bound: 1.1 }),
      figure('peer.plugin.sandbox_minutes', 'push, plugin client: sandbox time', ours.sandboxMs / MINUTE_MS, 'QBO-min', null, `${ours.throttled} × 429`),
      figure('peer.calls_ratio', 'calls ratio, node-quickbooks ÷ plugin', peer.calls / ours.calls, '×'),
      figure('peer.time_ratio', 'time ratio, node-quickbooks ÷ plugin', peer.sandboxMs / ours.sandboxMs, '×'),
    ];
  },
};
