import { PUSH_TEXTS } from '../../messages';
import { InvoiceReconciliationRepository } from '../../persistence/invoice-reconciliation-repository';
import { PushAnsweredRepository } from '../../persistence/push-answered-repository';
import { QboError } from '../../qbo/errors';
import { invoices as invoiceApi } from '../../qbo/entities/invoice';
import { payments as paymentApi } from '../../qbo/entities/payment';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { reconcileInvoice } from '../plan/reconcile';
import { ADOPTED_HASH, type InvoiceMappingSnapshot } from './invoice-push';
import type { PaymentMappingSnapshot } from './payment-push';
import { Exact } from '../mappers/money';
import { logOutcome } from './push-outcomes';

const IDS_PER_QUERY = 200;

async function readByIds<T>(read: (ids: string[]) => AsyncGenerator<T>, ids: readonly string[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) for await (const x of read(ids.slice(i, i + IDS_PER_QUERY))) out.push(x);
  return out;
}

/**
 * Before anything new is written: batches an earlier run left open are re-sent verbatim (QuickBooks answers
 * them from their first answer), then every invoice, payment and item create QuickBooks answered whose mapping
 * was never stored (the worker died in between) is adopted as the link. Their objects are read once (one
 * query per 200) for the SyncToken, customer, totals and applied amounts. Nothing is created twice.
 */
export async function adoptAnsweredPushes(deps: EngineDeps, ctx: RunContext): Promise<number> {
  const recovered = await deps.writer.recoverOpen(ctx.realmId);
  if (recovered.failure && !(recovered.failure instanceof QboError && !recovered.failure.retryable && !recovered.failure.outcomeUnknown)) throw recovered.failure;
  const answered = await new PushAnsweredRepository(deps.knex).createsWithoutMapping(ctx.accountId, ctx.realmId);
  if (answered.length === 0) return 0;
  const byEntity = (e: string) => answered.filter((a) => a.entity === e);
  const now = deps.clock();
  const workIdOf = (subject: string) => subject.slice(subject.indexOf(':') + 1);

  for (const a of byEntity('Item')) {
    const snapshot = { adopted: true };
    await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'item', workId: workIdOf(a.subject), qboId: a.qboId, syncToken: null, snapshot, hash: ADOPTED_HASH, now });
  }

  const invoiceRows = byEntity('Invoice');
  const qboInvoices = new Map(
    (await readByIds((chunk) => invoiceApi.queryAll(deps.qbo, ctx.realmId, invoiceApi.select().where('Id', 'IN', chunk)), invoiceRows.map((a) => a.qboId))).map((i) => [i.Id, i]),
  );
  const reconciliations = new InvoiceReconciliationRepository(deps.knex);
  for (const a of invoiceRows) {
    const workId = workIdOf(a.subject);
    const qbo = qboInvoices.get(a.qboId);
    const snapshot: InvoiceMappingSnapshot = { payload: null, customerId: qbo?.CustomerRef.value ?? null, adopted: true, formedAt: a.formedAt.toISOString() };
    const work = await deps.work.invoices.get(ctx.accountId, workId);
    await deps.knex.transaction(async (trx) => {
      await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'invoice', workId, qboId: a.qboId, syncToken: qbo?.SyncToken ?? '0', snapshot: { ...snapshot }, hash: ADOPTED_HASH, now }, trx);
      if (qbo && work) {
        const r = reconcileInvoice({ invoice: work, qboTotalAmt: qbo.TotalAmt, qboTotalTax: qbo.TxnTaxDetail?.TotalTax ?? null, taxCodeCount: 1 });
        if (r.ok) {
          const x = r.reconciliation;
          await reconciliations.save(ctx.accountId, { workInvoiceId: workId, qboInvoiceId: qbo.Id, workTotal: x.workTotal, qboTotal: x.qboTotal, qboTax: qbo.TxnTaxDetail?.TotalTax ?? null, qboBalance: qbo.Balance ?? qbo.TotalAmt, differenceCents: x.differenceCents, explainableCents: x.explainableCents, explained: x.explained }, now, trx);
        }
      }
    });
    await logOutcome(ctx, 'invoice', { workId, qboId: a.qboId }, 'info', 'created_in_qbo', 'recovered', PUSH_TEXTS.recovered, { recovered: true });
  }

  const paymentRows = byEntity('Payment');
  const qboPayments = new Map(
    (await readByIds((chunk) => paymentApi.queryAll(deps.qbo, ctx.realmId, paymentApi.select().where('Id', 'IN', chunk)), paymentRows.map((a) => a.qboId))).map((p) => [p.Id, p]),
  );
  for (const a of paymentRows) {
    const workId = workIdOf(a.subject);
    const qbo = qboPayments.get(a.qboId);
    const previous = await deps.mappings.findByWork(ctx.accountId, 'payment', workId);
    const earlier = (previous?.snapshot as unknown as PaymentMappingSnapshot | null)?.earlierQboIds ?? [];
    const linked = qbo?.Line?.flatMap((l) => (l.LinkedTxn ?? []).filter((t) => t.TxnType === 'Invoice').map((t) => ({ invoiceId: t.TxnId, amount: l.Amount }))) ?? [];
    const snapshot: PaymentMappingSnapshot = {
      earlierQboIds: previous ? [...earlier, previous.qbo_id] : [],
      qboInvoiceId: linked[0]?.invoiceId ?? null,
      applied: linked.reduce((sum, l) => sum.plus(l.amount), new Exact(0)).toFixed(2),
      adopted: true,
      formedAt: a.formedAt.toISOString(),
    };
    await deps.knex.transaction(async (trx) => {
      await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'payment', workId, qboId: a.qboId, syncToken: qbo?.SyncToken ?? '0', snapshot: { ...snapshot }, hash: ADOPTED_HASH, now }, trx);
      for (const l of linked) await reconciliations.lowerBalance(ctx.accountId, l.invoiceId, l.amount, now, trx);
    });
    await logOutcome(ctx, 'payment', { workId, qboId: a.qboId }, 'info', 'created_in_qbo', 'recovered', PUSH_TEXTS.recovered, { recovered: true });
  }
  return answered.length;
}
