import type { WorkInvoice, WorkPayment } from '../../host/work-records';
import { INVOICE_PAYMENT_SKIP_TEXTS, INVOICE_PAYMENT_TEXTS, invoicePaymentWaitText, PAYMENT_REFUSAL_TEXTS, PAYMENT_WARNING_TEXTS, PUSH_TEXTS } from '../../messages';
import { InvoiceReconciliationRepository } from '../../persistence/invoice-reconciliation-repository';
import type { MappingRow } from '../../persistence/mapping-repository';
import { paymentSchema } from '../../qbo/entities/payment';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { Exact } from '../mappers/money';
import { allocateOpenBalances, decidePaymentPush, mapPayment, resolvePaymentMethod, type PaymentPushDecision } from '../mappers/payment-payment';
import { invoiceEligibility, paymentEligibility, type PaymentInvoiceState } from '../plan/invoice-eligibility';
import { invoiceSnapshotOf, type Candidate } from './invoice-push';
import type { PushFacts } from './push-facts';
import { logNote, logOutcome, logPushFailure, settleRow, type Ids } from './push-outcomes';
import { pushSubject, writeChunked, type PushWriteResult } from './push-writes';

/** What qbo_mappings.snapshot holds for a pushed payment. */
export interface PaymentMappingSnapshot {
  /** QBO payments made for earlier versions of this Work payment (edited payments make new ones). */
  earlierQboIds: string[];
  qboInvoiceId: string | null;
  applied: string;
  adopted?: boolean;
  formedAt?: string;
}

export function paymentSnapshotOf(mapping: MappingRow | undefined): PaymentMappingSnapshot | null {
  return mapping?.snapshot ? (mapping.snapshot as unknown as PaymentMappingSnapshot) : null;
}

interface PlannedPayment {
  candidate: Candidate<WorkPayment>;
  payment: WorkPayment;
  decision: Extract<PaymentPushDecision, { action: 'create' | 'create_new' }>;
  mapping: MappingRow | undefined;
  customerId: string;
  qboInvoiceId: string | null;
}

const ids = (workId: string, qboId: string | null = null): Ids => ({ workId, qboId });

/**
 * The payments layer (after invoices): each Work payment becomes a QBO Payment for its invoice's customer,
 * applied (LinkedTxn) up to what is still open and deposited to the chosen account. An edited Work payment
 * makes a NEW QBO payment and the log names both; a deleted one is never deleted in QBO.
 */
export async function pushPaymentLayer(
  deps: EngineDeps,
  ctx: RunContext,
  candidates: readonly Candidate<WorkPayment>[],
  facts: PushFacts,
  invoiceMappings: ReadonlyMap<string, MappingRow>,
  waitingInvoices: ReadonlySet<string>,
): Promise<void> {
  if (candidates.length === 0) return;
  const mappings = new Map((await deps.mappings.listForAccount(ctx.accountId, 'payment')).map((m) => [m.work_id, m]));
  const clients = new Map((await deps.mappings.listForAccount(ctx.accountId, 'client')).map((m) => [m.work_id, m.qbo_id]));
  const sites = new Map((await deps.mappings.listForAccount(ctx.accountId, 'site')).map((m) => [m.work_id, m.qbo_id]));
  const invoiceState = async (invoiceId: string | null): Promise<PaymentInvoiceState> => {
    if (invoiceId === null) return { state: 'none' };
    const mapping = invoiceMappings.get(invoiceId);
    const snapshot = invoiceSnapshotOf(mapping);
    if (mapping && !snapshot?.stopped) return { state: 'pushed', qboInvoiceId: mapping.qbo_id, qboCustomerId: snapshot?.customerId ?? '' };
    if (mapping || !(waitingInvoices.has(invoiceId) || (await invoiceWillGo(deps, ctx, invoiceId, facts, clients, sites)))) return { state: 'never' };
    return { state: 'pending' };
  };

  const planned: PlannedPayment[] = [];
  for (const c of candidates) {
    const mapping = mappings.get(c.workId);
    const pushed = mapping ? { qboPaymentId: mapping.qbo_id, hash: mapping.last_hash ?? '' } : null;
    if (c.record === null) {
      if (c.row) await logOutcome(ctx, 'payment', ids(c.workId, mapping?.qbo_id ?? null), mapping ? 'warning' : 'info', 'skipped', 'deleted_in_work', INVOICE_PAYMENT_TEXTS.paymentDeletedInWork(c.workId, mapping?.qbo_id ?? null));
      await settleRow(deps, ctx, c.row, 'done');
      continue;
    }
    const payment = c.record;
    const elig = paymentEligibility({ payment, invoice: await invoiceState(payment.invoiceId), clientCustomerId: clients.get(payment.clientId) ?? null, settings: facts.settings, facts: facts.facts });
    if (elig.decision === 'skip') {
      if (c.row) await logOutcome(ctx, 'payment', ids(c.workId), 'info', 'skipped', elig.reason, INVOICE_PAYMENT_SKIP_TEXTS[elig.reason]);
      await settleRow(deps, ctx, c.row, 'done');
      continue;
    }
    if (elig.decision === 'wait') {
      await logOutcome(ctx, 'payment', ids(c.workId), 'info', 'blocked', elig.reason, invoicePaymentWaitText(elig.reason));
      await settleRow(deps, ctx, c.row, 'wait', elig.reason, elig.reason === 'client_not_linked' || elig.reason === 'invoice_not_pushed');
      continue;
    }
    let decision = decidePaymentPush(pushed, payment, c.workId);
    const snapshot = paymentSnapshotOf(mapping);
    // Linked after a crash from a create formed after Work's last change: that create is this version.
    if (decision.action === 'create_new' && mapping?.last_hash === 'adopted' && snapshot?.formedAt !== undefined && payment.updatedAt.getTime() <= Date.parse(snapshot.formedAt)) {
      if (!ctx.dryRun) await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'payment', workId: c.workId, qboId: mapping.qbo_id, syncToken: mapping.qbo_sync_token, snapshot: { ...snapshot, adopted: false }, hash: decision.hash, now: deps.clock() });
      decision = { action: 'skip', reason: 'unchanged' };
    }
    if (decision.action === 'skip') {
      if (c.row) await logOutcome(ctx, 'payment', ids(c.workId, mapping?.qbo_id ?? null), 'info', 'unchanged', 'payment_unchanged', PUSH_TEXTS.paymentUnchanged);
      await settleRow(deps, ctx, c.row, 'done');
      continue;
    }
    planned.push({ candidate: c, payment, decision, mapping, customerId: elig.customerId, qboInvoiceId: elig.qboInvoiceId });
  }
  if (planned.length === 0) return;

  const reconciliations = new InvoiceReconciliationRepository(deps.knex);
  const linked = [...new Set(planned.map((p) => p.qboInvoiceId).filter((x): x is string => x !== null))];
  const balances = new Map([...(await reconciliations.balances(ctx.accountId, linked))].map(([k, v]) => [k, new Exact(v)]));
  const shares = allocateOpenBalances(planned.map((p) => ({ workPaymentId: p.payment.id, qboInvoiceId: p.qboInvoiceId, amount: p.payment.amount })), balances);
  const depositAccountId = facts.settings.depositAccountId ?? '';
  const mapped = new Map<string, ReturnType<typeof mapPayment>>();
  const toSend: PlannedPayment[] = [];
  for (const p of planned) {
    const result = mapPayment({
      payment: p.payment,
      customerId: p.customerId,
      invoice: p.qboInvoiceId === null ? null : { qboId: p.qboInvoiceId, openBalance: shares.get(p.payment.id) ?? new Exact(0) },
      depositAccountId,
      paymentMethodId: resolvePaymentMethod(p.payment.method, facts.paymentMethods),
    });
    if (!result.ok) {
      const code = result.refusal.code;
      const fate = code === 'missing_customer' ? 'wait' : 'stop';
      await ctx.recorder.record({ entity: 'payment', workId: p.payment.id, qboId: null, level: fate === 'wait' ? 'info' : 'error', outcome: 'blocked', reasonCode: `payment_${code}`, reason: PAYMENT_REFUSAL_TEXTS[code], details: { detail: result.refusal.detail } });
      await settleRow(deps, ctx, p.candidate.row, fate, code, fate === 'wait');
      continue;
    }
    mapped.set(p.payment.id, result);
    toSend.push(p);
  }
  if (ctx.dryRun) {
    for (const p of toSend) await logOutcome(ctx, 'payment', ids(p.payment.id), 'info', 'created_in_qbo', 'dry_run', 'Would be sent (dry run).');
    return;
  }

  const writeOf = (p: PlannedPayment) => {
    const m = mapped.get(p.payment.id);
    return { subject: pushSubject('payment', p.payment.id), operation: 'create' as const, payload: m?.ok ? { ...m.payment.body } : {} };
  };
  await writeChunked(deps, ctx, 'Payment', toSend, writeOf, async (part, results) => {
    for (const p of part) await saveAnsweredPayment(deps, ctx, p, mapped.get(p.payment.id), results.get(pushSubject('payment', p.payment.id)), reconciliations, depositAccountId);
  });
}

async function saveAnsweredPayment(
  deps: EngineDeps,
  ctx: RunContext,
  p: PlannedPayment,
  m: ReturnType<typeof mapPayment> | undefined,
  answered: PushWriteResult | undefined,
  reconciliations: InvoiceReconciliationRepository,
  depositAccountId: string,
): Promise<void> {
  if (!m?.ok) return;
  const result = answered ?? { ok: false as const, error: new Error('no answer') };
  const parsed = result.ok ? paymentSchema.safeParse(result.body) : null;
  if (!result.ok || !parsed?.success) {
    const error = result.ok ? new Error('QuickBooks stored the payment but its answer could not be read') : result.error;
    const { fate } = await logPushFailure(deps, ctx, 'payment', ids(p.payment.id, null), error, 1);
    await settleRow(deps, ctx, p.candidate.row, fate === 'done' ? 'stop' : fate, error.message);
    return;
  }
  const answer = parsed.data;
  const earlier = paymentSnapshotOf(p.mapping);
  const snapshot: PaymentMappingSnapshot = {
    earlierQboIds: p.mapping ? [...(earlier?.earlierQboIds ?? []), p.mapping.qbo_id] : [],
    qboInvoiceId: p.qboInvoiceId,
    applied: m.payment.applied.toFixed(2),
  };
  await deps.knex.transaction(async (trx) => {
    await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'payment', workId: p.payment.id, qboId: answer.Id, syncToken: answer.SyncToken, snapshot: { ...snapshot }, hash: p.decision.hash, now: deps.clock() }, trx);
    if (p.qboInvoiceId !== null && !m.payment.applied.isZero()) await reconciliations.lowerBalance(ctx.accountId, p.qboInvoiceId, m.payment.applied, deps.clock(), trx);
  });
  const at = ids(p.payment.id, answer.Id);
  await logOutcome(ctx, 'payment', at, 'info', 'created_in_qbo', 'payment_created', PUSH_TEXTS.paymentCreated, {
    total: m.payment.total.toFixed(2),
    applied: m.payment.applied.toFixed(2),
    unapplied: m.payment.unapplied.toFixed(2),
    qboInvoiceId: p.qboInvoiceId,
    depositAccountId,
  });
  for (const w of m.payment.warnings) await logNote(ctx, 'payment', at, 'warning', `payment_${w.code}`, PAYMENT_WARNING_TEXTS[w.code], { detail: w.detail });
  if (p.decision.action === 'create_new') {
    await logNote(ctx, 'payment', at, 'warning', 'payment_edited', INVOICE_PAYMENT_TEXTS.paymentEdited(p.payment.id, p.decision.warning.earlierQboPaymentId, answer.Id), {
      earlierQboPaymentId: p.decision.warning.earlierQboPaymentId,
      newQboPaymentId: answer.Id,
    });
  }
  await settleRow(deps, ctx, p.candidate.row, 'done');
}

/** Whether a not-yet-pushed Work invoice will be pushed (it waits or is eligible) or never will. */
async function invoiceWillGo(deps: EngineDeps, ctx: RunContext, invoiceId: string, facts: PushFacts, clients: ReadonlyMap<string, string>, sites: ReadonlyMap<string, string>): Promise<boolean> {
  const invoice: WorkInvoice | null = await deps.work.invoices.get(ctx.accountId, invoiceId);
  if (!invoice) return false;
  const links = { clientCustomerId: clients.get(invoice.clientId) ?? null, siteCustomerId: invoice.siteId === null ? null : (sites.get(invoice.siteId) ?? null) };
  return invoiceEligibility({ invoice, links, settings: facts.settings, facts: facts.facts }).decision !== 'skip';
}
