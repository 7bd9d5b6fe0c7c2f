import type { WorkEntity } from '../../host/work-host';
import type { WorkInvoice, WorkPayment } from '../../host/work-records';
import type { ClaimedOutboxRow } from '../../persistence/outbox-claim-repository';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { pushInvoiceLayer, type Candidate } from './invoice-push';
import { pushPaymentLayer } from './payment-push';
import { adoptAnsweredPushes } from './push-adoption';
import { readPushFacts } from './push-facts';

/** The outbox entities this flow claims (the client drain leaves them pending). */
export const PUSHED_ENTITIES = ['invoice', 'payment'] as const;
const CLAIM_CHUNK = 500;
/** Long enough for a whole push of thousands of records; rows of a killed worker are taken back at once under the account lock. */
const PUSH_LEASE_MS = 60 * 60_000;
const PAGE = 1000;

export interface PushResult {
  invoices: number;
  payments: number;
  adopted: number;
}

async function claimAll(deps: EngineDeps, ctx: RunContext, entity: WorkEntity): Promise<ClaimedOutboxRow[]> {
  const rows: ClaimedOutboxRow[] = [];
  for (;;) {
    const claimed = await deps.outbox.claim(ctx.accountId, [entity], CLAIM_CHUNK, PUSH_LEASE_MS, deps.workerId, deps.clock());
    rows.push(...claimed);
    if (claimed.length < CLAIM_CHUNK) return rows;
  }
}

async function listAll<T extends { id: string }>(list: (page: { limit: number; afterId?: string }) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let afterId: string | undefined; ; ) {
    const page = await list({ limit: PAGE, ...(afterId === undefined ? {} : { afterId }) });
    all.push(...page);
    if (page.length < PAGE) return all;
    afterId = page[page.length - 1]?.id;
  }
}

/** Claimed rows joined with the scanned records (manual runs), one candidate per record, in id order. */
async function candidatesOf<T extends { id: string }>(rows: readonly ClaimedOutboxRow[], scanned: readonly T[] | null, get: (id: string) => Promise<T | null>): Promise<Candidate<T>[]> {
  const byId = new Map<string, Candidate<T>>();
  for (const row of rows) byId.set(row.record_id, { workId: row.record_id, row, record: row.action === 'deleted' ? null : await get(row.record_id) });
  for (const record of scanned ?? []) if (!byId.has(record.id)) byId.set(record.id, { workId: record.id, row: null, record });
  return [...byId.values()].sort((a, b) => Number(a.workId) - Number(b.workId) || a.workId.localeCompare(b.workId));
}

/**
 * Invoices and payments, Work → QBO (issue 12). Continuous runs take the outbox's invoice and payment rows;
 * manual runs also scan every Work invoice and payment, so records changed since the last run (or waiting for
 * a client, an item or an invoice) go too, while a payload equal to the last one sent costs no call. Layers:
 * customers (the client drain before this), items, invoices, payments, each in durable batches of ≤ 30.
 */
export async function pushInvoicesAndPayments(deps: EngineDeps, ctx: RunContext, options: { scan: boolean }): Promise<PushResult> {
  if (!ctx.dryRun) await deps.outbox.reclaimProcessing(ctx.accountId, PUSHED_ENTITIES, deps.clock());
  const adopted = ctx.dryRun ? 0 : await adoptAnsweredPushes(deps, ctx);
  const invoiceRows = ctx.dryRun ? [] : await claimAll(deps, ctx, 'invoice');
  const paymentRows = ctx.dryRun ? [] : await claimAll(deps, ctx, 'payment');
  const scanned = options.scan ? { invoices: await listAll<WorkInvoice>((p) => deps.work.invoices.list(ctx.accountId, p)), payments: await listAll<WorkPayment>((p) => deps.work.payments.list(ctx.accountId, p)) } : null;
  const invoices = await candidatesOf(invoiceRows, scanned?.invoices ?? null, (id) => deps.work.invoices.get(ctx.accountId, id));
  const payments = await candidatesOf(paymentRows, scanned?.payments ?? null, (id) => deps.work.payments.get(ctx.accountId, id));
  if (invoices.length === 0 && payments.length === 0) return { invoices: 0, payments: 0, adopted };
  try {
    const facts = await readPushFacts(deps, ctx.accountId, ctx.realmId);
    await ctx.recorder.setPhase('pushing invoices');
    const layer = await pushInvoiceLayer(deps, ctx, invoices, facts);
    await ctx.recorder.setPhase('pushing payments');
    await pushPaymentLayer(deps, ctx, payments, facts, layer.mappings, layer.waiting);
  } finally {
    // Rows not settled (an error stopped the run) go back to pending at once: nothing is lost.
    if (!ctx.dryRun) await deps.outbox.reclaimProcessing(ctx.accountId, PUSHED_ENTITIES, deps.clock());
  }
  return { invoices: invoices.length, payments: payments.length, adopted };
}
