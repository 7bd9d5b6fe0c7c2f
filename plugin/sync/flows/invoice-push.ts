import type { WorkInvoice } from '../../host/work-records';
import { DOC_NUMBER_TEXTS, INVOICE_PAYMENT_SKIP_TEXTS, INVOICE_PAYMENT_TEXTS, INVOICE_REFUSAL_TEXTS, INVOICE_WARNING_TEXTS, invoicePaymentWaitText, PUSH_TEXTS } from '../../messages';
import { InvoiceReconciliationRepository } from '../../persistence/invoice-reconciliation-repository';
import type { MappingRow } from '../../persistence/mapping-repository';
import type { ClaimedOutboxRow } from '../../persistence/outbox-claim-repository';
import { invoices as invoiceApi, invoiceSchema, type QboInvoice } from '../../qbo/entities/invoice';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { invoiceUpdateBody, mapInvoice, type MappedInvoice } from '../mappers/invoice-invoice';
import { decideDocNumbers, docNumbersToCheck, type DocNumberCandidate, type QboInvoiceByNumber } from '../plan/doc-number-clash';
import { invoiceEligibility } from '../plan/invoice-eligibility';
import { reconcileInvoice } from '../plan/reconcile';
import type { PushFacts } from './push-facts';
import { resolveItemLayer } from './push-items';
import { logNote, logOutcome, logPushFailure, settleRow, type Ids, type RowFate } from './push-outcomes';
import { pushSubject, writeChunked, writeLayer, type PushWrite, type PushWriteResult } from './push-writes';

/** A Work record to push this run: from a claimed outbox row, from the manual scan, or both. */
export interface Candidate<T> {
  workId: string;
  row: ClaimedOutboxRow | null;
  /** Null when the record was deleted in Work. */
  record: T | null;
}

/** What qbo_mappings.snapshot holds for a pushed invoice. */
export interface InvoiceMappingSnapshot {
  payload: unknown;
  customerId: string | null;
  /** Set when the QBO invoice was voided or deleted: later edits are not sent to it. */
  stopped?: string;
  /** Linked from an answered create after a crash: `formedAt` is when that create was formed. */
  adopted?: boolean;
  formedAt?: string;
}

export const ADOPTED_HASH = 'adopted';
const DOC_NUMBERS_PER_QUERY = 100;

export function invoiceSnapshotOf(mapping: MappingRow | undefined): InvoiceMappingSnapshot | null {
  return mapping?.snapshot ? (mapping.snapshot as unknown as InvoiceMappingSnapshot) : null;
}

export interface InvoiceLayerResult {
  /** Work invoice ids that wait (their payments wait too). */
  waiting: Set<string>;
  /** Invoice mappings as they stand after this layer. */
  mappings: Map<string, MappingRow>;
}

interface PlannedInvoice {
  candidate: Candidate<WorkInvoice>;
  invoice: WorkInvoice;
  mapped: MappedInvoice;
  mapping: MappingRow | undefined;
  customerId: string;
  /** The QBO invoice to update (mapped, or ours found by its number after a lost answer). */
  ref: { Id: string; SyncToken: string } | null;
}

const ids = (workId: string, qboId: string | null = null): Ids => ({ workId, qboId });

async function lookUpDocNumbers(deps: EngineDeps, realmId: string, numbers: readonly string[]): Promise<QboInvoiceByNumber[]> {
  const found: QboInvoiceByNumber[] = [];
  for (let i = 0; i < numbers.length; i += DOC_NUMBERS_PER_QUERY) {
    const query = invoiceApi.select().where('DocNumber', 'IN', numbers.slice(i, i + DOC_NUMBERS_PER_QUERY));
    for await (const inv of invoiceApi.queryAll(deps.qbo, realmId, query)) found.push({ ...inv, DocNumber: inv.DocNumber, CustomerRef: inv.CustomerRef, PrivateNote: inv.PrivateNote, SyncToken: inv.SyncToken } as QboInvoiceByNumber);
  }
  return found;
}

/** Mapping, reconciliation (from the write's own answer) and the log, for one invoice QuickBooks stored. */
async function saveAnswered(deps: EngineDeps, ctx: RunContext, plan: PlannedInvoice, answer: QboInvoice, created: boolean, facts: PushFacts): Promise<MappingRow> {
  const { invoice, mapped } = plan;
  const snapshot: InvoiceMappingSnapshot = { payload: mapped.snapshot, customerId: answer.CustomerRef.value };
  const reconciliation = reconcileInvoice({ invoice, qboTotalAmt: answer.TotalAmt, qboTotalTax: answer.TxnTaxDetail?.TotalTax ?? null, taxCodeCount: 1 });
  const now = deps.clock();
  await deps.knex.transaction(async (trx) => {
    await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'invoice', workId: invoice.id, qboId: answer.Id, syncToken: answer.SyncToken, snapshot: { ...snapshot }, hash: mapped.hash, now }, trx);
    if (reconciliation.ok) {
      const r = reconciliation.reconciliation;
      await new InvoiceReconciliationRepository(deps.knex).save(
        ctx.accountId,
        { workInvoiceId: invoice.id, qboInvoiceId: answer.Id, workTotal: r.workTotal, qboTotal: r.qboTotal, qboTax: answer.TxnTaxDetail?.TotalTax ?? null, qboBalance: answer.Balance ?? answer.TotalAmt, differenceCents: r.differenceCents, explainableCents: r.explainableCents, explained: r.explained },
        now,
        trx,
      );
    }
  });
  const at = ids(invoice.id, answer.Id);
  const docNumbers = { work: invoice.number, qbo: answer.DocNumber ?? null };
  await logOutcome(ctx, 'invoice', at, 'info', created ? 'created_in_qbo' : 'updated_in_qbo', created ? 'invoice_created' : 'invoice_updated', created ? PUSH_TEXTS.invoiceCreated : PUSH_TEXTS.invoiceUpdated, {
    docNumbers,
    qboTotal: answer.TotalAmt.toFixed(2),
    workTotal: invoice.total,
  });
  for (const w of mapped.warnings) {
    if (w.code === 'doc_number_by_qbo') continue;
    await logNote(ctx, 'invoice', at, 'warning', `invoice_${w.code}`, INVOICE_WARNING_TEXTS[w.code], { detail: w.detail, ...(w.lineId === undefined ? {} : { lineId: w.lineId }) });
  }
  if (!facts.customTxnNumbers && created) await logNote(ctx, 'invoice', at, 'info', 'invoice_numbered_by_qbo', INVOICE_PAYMENT_TEXTS.numberedByQbo(invoice.number, answer.DocNumber ?? '?'), docNumbers);
  if (reconciliation.ok && !reconciliation.reconciliation.differenceCents.isZero()) {
    const r = reconciliation.reconciliation;
    const text = r.explained ? INVOICE_PAYMENT_TEXTS.totalsDiffer(r.differenceCents.toFixed(0)) : INVOICE_PAYMENT_TEXTS.totalsUnexplained(r.differenceCents.toFixed(0), r.explainableCents.toFixed(0));
    await logNote(ctx, 'invoice', at, r.explained ? 'info' : 'warning', r.explained ? 'totals_differ_rounding' : 'totals_differ_unexplained', text, { workTotal: r.workTotal.toFixed(), qboTotal: r.qboTotal.toFixed(2), differenceCents: r.differenceCents.toFixed(0) });
  } else if (!reconciliation.ok) {
    await logNote(ctx, 'invoice', at, 'warning', 'invoice_invalid_work_amount', INVOICE_PAYMENT_TEXTS.invalidWorkAmount, { detail: reconciliation.detail });
  }
  return (await deps.mappings.findByWork(ctx.accountId, 'invoice', invoice.id)) as MappingRow;
}

function writeOf(plan: PlannedInvoice): PushWrite {
  const subject = pushSubject('invoice', plan.invoice.id);
  if (plan.ref) return { subject, operation: 'update', payload: { ...invoiceUpdateBody(plan.ref, plan.mapped.body) } };
  return { subject, operation: 'create', payload: { ...plan.mapped.body } };
}

function parseInvoice(result: PushWriteResult): QboInvoice | Error {
  if (!result.ok) return result.error;
  const parsed = invoiceSchema.safeParse(result.body);
  return parsed.success ? parsed.data : new Error('QuickBooks stored the invoice but its answer could not be read');
}

/**
 * The invoices layer (after customers and items): eligibility, mapping, DocNumber clashes (one query per batch
 * with custom numbers on), creates and sparse updates in durable batches of ≤ 30, a 5010 re-read and sent once
 * more, and each record's fate. A payload equal to the last one sent is not sent.
 */
export async function pushInvoiceLayer(deps: EngineDeps, ctx: RunContext, candidates: readonly Candidate<WorkInvoice>[], facts: PushFacts): Promise<InvoiceLayerResult> {
  const mappings = new Map((await deps.mappings.listForAccount(ctx.accountId, 'invoice')).map((m) => [m.work_id, m]));
  const waiting = new Set<string>();
  if (candidates.length === 0) return { waiting, mappings };
  const clients = new Map((await deps.mappings.listForAccount(ctx.accountId, 'client')).map((m) => [m.work_id, m.qbo_id]));
  const sites = new Map((await deps.mappings.listForAccount(ctx.accountId, 'site')).map((m) => [m.work_id, m.qbo_id]));
  const wait = async (c: Candidate<WorkInvoice>, code: string, reason: string, dependency: boolean): Promise<void> => {
    waiting.add(c.workId);
    await logOutcome(ctx, 'invoice', ids(c.workId, mappings.get(c.workId)?.qbo_id ?? null), 'info', 'blocked', code, reason);
    await settleRow(deps, ctx, c.row, 'wait', code, dependency);
  };

  const eligible: { candidate: Candidate<WorkInvoice>; invoice: WorkInvoice; customerId: string }[] = [];
  for (const c of candidates) {
    const mapping = mappings.get(c.workId);
    const snapshot = invoiceSnapshotOf(mapping);
    if (c.record === null) {
      if (c.row) await logOutcome(ctx, 'invoice', ids(c.workId, mapping?.qbo_id ?? null), mapping ? 'warning' : 'info', 'skipped', 'deleted_in_work', PUSH_TEXTS.invoiceDeletedInWork(mapping?.qbo_id ?? null));
      await settleRow(deps, ctx, c.row, 'done');
      continue;
    }
    if (snapshot?.stopped) {
      if (c.row) await logOutcome(ctx, 'invoice', ids(c.workId, mapping?.qbo_id ?? null), 'warning', 'skipped', 'qbo_object_gone', PUSH_TEXTS.invoiceStopped, { stopped: snapshot.stopped });
      await settleRow(deps, ctx, c.row, 'done');
      continue;
    }
    const links = { clientCustomerId: clients.get(c.record.clientId) ?? null, siteCustomerId: c.record.siteId === null ? null : (sites.get(c.record.siteId) ?? null) };
    const decision = invoiceEligibility({ invoice: c.record, links, settings: facts.settings, facts: facts.facts });
    if (decision.decision === 'skip') {
      if (c.row) await logOutcome(ctx, 'invoice', ids(c.workId), 'info', 'skipped', decision.reason, INVOICE_PAYMENT_SKIP_TEXTS[decision.reason]);
      await settleRow(deps, ctx, c.row, 'done');
    } else if (decision.decision === 'wait') await wait(c, decision.reason, invoicePaymentWaitText(decision.reason), decision.reason === 'client_not_linked');
    else eligible.push({ candidate: c, invoice: c.record, customerId: decision.customerId });
  }
  if (eligible.length === 0) return { waiting, mappings };

  const incomeAccountId = facts.settings.incomeAccountId ?? '';
  const items = await resolveItemLayer(deps, ctx, eligible.map((e) => e.invoice), { incomeAccountId, expenseAccountId: facts.settings.expenseAccountId });
  const planned: PlannedInvoice[] = [];
  for (const e of eligible) {
    const held = items.waiting.get(e.invoice.id);
    if (held) {
      await wait(e.candidate, held.code, held.reason, true);
      continue;
    }
    const result = mapInvoice({ invoice: e.invoice, customerId: e.customerId, itemIdByLineId: items.itemIdByLineId, taxCodes: facts.taxCodes, customTxnNumbers: facts.customTxnNumbers });
    if (!result.ok) {
      const r = result.refusal;
      if (r.code === 'missing_item' || r.code === 'missing_customer' || r.code === 'tax_codes_missing') await wait(e.candidate, `invoice_${r.code}`, INVOICE_REFUSAL_TEXTS[r.code], r.code !== 'tax_codes_missing');
      else {
        await ctx.recorder.record({ entity: 'invoice', workId: e.invoice.id, qboId: null, level: 'error', outcome: 'blocked', reasonCode: `invoice_${r.code}`, reason: INVOICE_REFUSAL_TEXTS[r.code], details: { detail: r.detail, ...(r.lineId === undefined ? {} : { lineId: r.lineId }) } });
        await settleRow(deps, ctx, e.candidate.row, 'stop', r.code);
      }
      continue;
    }
    const mapping = mappings.get(e.invoice.id);
    const snapshot = invoiceSnapshotOf(mapping);
    // Linked after a crash from a create formed after Work's last change: what QBO holds is this payload.
    const adoptedCurrent = mapping?.last_hash === ADOPTED_HASH && snapshot?.formedAt !== undefined && e.invoice.updatedAt.getTime() <= Date.parse(snapshot.formedAt);
    if (mapping && (mapping.last_hash === result.invoice.hash || adoptedCurrent)) {
      if (adoptedCurrent && !ctx.dryRun) {
        await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'invoice', workId: e.invoice.id, qboId: mapping.qbo_id, syncToken: mapping.qbo_sync_token, snapshot: { payload: result.invoice.snapshot, customerId: snapshot?.customerId ?? e.customerId }, hash: result.invoice.hash, now: deps.clock() });
      }
      if (e.candidate.row) await logOutcome(ctx, 'invoice', ids(e.invoice.id, mapping.qbo_id), 'info', 'unchanged', 'invoice_unchanged', PUSH_TEXTS.invoiceUnchanged);
      await settleRow(deps, ctx, e.candidate.row, 'done');
      continue;
    }
    planned.push({ candidate: e.candidate, invoice: e.invoice, mapped: result.invoice, mapping, customerId: e.customerId, ref: mapping ? { Id: mapping.qbo_id, SyncToken: mapping.qbo_sync_token ?? '0' } : null });
  }

  // DocNumber clashes, found before the create by one query per batch (custom numbers on only).
  let toSend = planned;
  if (facts.customTxnNumbers && planned.length > 0) {
    const dc: DocNumberCandidate[] = planned.map((p) => ({ workInvoiceId: p.invoice.id, mappedQboId: p.mapping?.qbo_id ?? null, mapped: p.mapped }));
    const numbers = docNumbersToCheck(dc);
    const found = numbers.length > 0 ? await lookUpDocNumbers(deps, ctx.realmId, numbers) : [];
    const decisions = decideDocNumbers(dc, found);
    toSend = [];
    for (const p of planned) {
      const d = decisions.get(p.invoice.id);
      if (d?.decision === 'clash') {
        const text = 'qboId' in d.takenBy ? DOC_NUMBER_TEXTS.clashWithQbo(d.docNumber, d.takenBy.qboId) : DOC_NUMBER_TEXTS.clashInBatch(d.docNumber);
        await ctx.recorder.record({ entity: 'invoice', workId: p.invoice.id, qboId: null, level: 'error', outcome: 'failed', reasonCode: 'doc_number_clash', reason: text, faultCode: '6140', details: { docNumber: d.docNumber, takenBy: d.takenBy } });
        await settleRow(deps, ctx, p.candidate.row, 'stop', `6140: ${d.docNumber}`);
      } else if (d?.decision === 'link') {
        const ours = found.find((f) => f.Id === d.qboId) as (QboInvoiceByNumber & { SyncToken?: string }) | undefined;
        await logNote(ctx, 'invoice', ids(p.invoice.id, d.qboId), 'info', 'doc_number_linked', DOC_NUMBER_TEXTS.linked(p.mapped.docNumber.sent ?? '', d.qboId));
        toSend.push({ ...p, ref: { Id: d.qboId, SyncToken: ours?.SyncToken ?? '0' } });
      } else toSend.push(p);
    }
  }
  if (ctx.dryRun) {
    for (const p of toSend) await logOutcome(ctx, 'invoice', ids(p.invoice.id, p.ref?.Id ?? null), 'info', p.ref ? 'updated_in_qbo' : 'created_in_qbo', 'dry_run', 'Would be sent (dry run).');
    return { waiting, mappings };
  }

  const stale: PlannedInvoice[] = [];
  await writeChunked(deps, ctx, 'Invoice', toSend, writeOf, async (part, results) => {
    for (const p of part) {
      const answer = parseInvoice(results.get(pushSubject('invoice', p.invoice.id)) ?? { ok: false, error: new Error('no answer') });
      if (!(answer instanceof Error)) {
        mappings.set(p.invoice.id, await saveAnswered(deps, ctx, p, answer, p.ref === null, facts));
        await settleRow(deps, ctx, p.candidate.row, 'done');
        continue;
      }
      const fate = await failureFate(deps, ctx, p, answer, 0);
      if (fate === 'reread') stale.push(p);
      else {
        if (fate === 'wait') waiting.add(p.invoice.id);
        await settleRow(deps, ctx, p.candidate.row, fate, answer.message);
      }
    }
  });
  if (stale.length > 0) await retryStale(deps, ctx, stale, facts, mappings, waiting);
  return { waiting, mappings };
}

/** The row's fate after a failed write ('reread': a first 5010; a voided or deleted QBO invoice is marked stopped). */
async function failureFate(deps: EngineDeps, ctx: RunContext, p: PlannedInvoice, error: Error, attempt: number): Promise<RowFate | 'reread'> {
  const { action, fate } = await logPushFailureQuiet(deps, ctx, p, error, attempt);
  if (action === 'reread_and_retry' && p.ref) return 'reread';
  if (action === 'stop_for_good' && p.mapping) {
    const snapshot = { ...(invoiceSnapshotOf(p.mapping) ?? { payload: null, customerId: null }), stopped: error.message.slice(0, 200) };
    await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'invoice', workId: p.invoice.id, qboId: p.mapping.qbo_id, syncToken: p.mapping.qbo_sync_token, snapshot: { ...snapshot }, hash: p.mapping.last_hash ?? '', now: deps.clock() });
  }
  return action === 'stop_for_good' && !p.mapping ? 'stop' : fate;
}

/** A first 5010 is not logged as a failure: it is re-read and retried; anything else is. */
async function logPushFailureQuiet(deps: EngineDeps, ctx: RunContext, p: PlannedInvoice, error: Error, attempt: number) {
  const code = (error as { code?: unknown }).code;
  if (attempt === 0 && p.ref && (code === '5010' || (error as { kind?: unknown }).kind === 'stale-object')) return { action: 'reread_and_retry' as const, fate: 'wait' as const };
  return logPushFailure(deps, ctx, 'invoice', ids(p.invoice.id, p.ref?.Id ?? null), error, attempt);
}

/** 5010: read each invoice again for its current SyncToken and send Work's version once more (Work is the master). */
async function retryStale(deps: EngineDeps, ctx: RunContext, stale: readonly PlannedInvoice[], facts: PushFacts, mappings: Map<string, MappingRow>, waiting: Set<string>): Promise<void> {
  const again: PlannedInvoice[] = [];
  for (const p of stale) {
    try {
      const fresh = await invoiceApi.read(deps.qbo, ctx.realmId, p.ref?.Id ?? '');
      again.push({ ...p, ref: { Id: fresh.Id, SyncToken: fresh.SyncToken } });
    } catch (error) {
      const fate = await failureFate(deps, ctx, p, error instanceof Error ? error : new Error(String(error)), 1);
      if (fate === 'wait') waiting.add(p.invoice.id);
      await settleRow(deps, ctx, p.candidate.row, fate === 'reread' ? 'wait' : fate);
    }
  }
  const results = await writeLayer(deps, ctx, 'Invoice', again.map(writeOf));
  for (const p of again) {
    const answer = parseInvoice(results.get(pushSubject('invoice', p.invoice.id)) ?? { ok: false, error: new Error('no answer') });
    if (!(answer instanceof Error)) {
      mappings.set(p.invoice.id, await saveAnswered(deps, ctx, p, answer, false, facts));
      await logNote(ctx, 'invoice', ids(p.invoice.id, answer.Id), 'info', 'stale_retried', PUSH_TEXTS.staleRetried);
      await settleRow(deps, ctx, p.candidate.row, 'done');
      continue;
    }
    const fate = await failureFate(deps, ctx, p, answer, 1);
    if (fate === 'wait') waiting.add(p.invoice.id);
    await settleRow(deps, ctx, p.candidate.row, fate === 'reread' ? 'wait' : fate, answer.message);
  }
}

