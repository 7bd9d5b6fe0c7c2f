import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { MemberOutcome, OpenWriteBatch, WriteBatchRepository } from '../persistence/write-batch-repository';
import { chunk, readBatchAnswer, validateBatchItems, wireItem, type BatchItemRequest, type BatchItemResult, type BatchOperation, type BatchPoster } from './batch';
import { QboError } from './errors';
import { toWireJson } from './wire-json';

/** One write in a durable batch: a batch item plus the caller's name for the record it writes. */
export type DurableBatchWrite = { bId: string; operation: BatchOperation; entity: string; payload: Record<string, unknown> } & {
  /** The caller's record, e.g. "client:42" or "invoice:7": at most one unresolved write per subject. */
  subject: string;
};

export interface DurableBatchItemResult {
  subject: string;
  bId: string;
  result: BatchItemResult;
  /** True when the result came from re-sending a batch an earlier run left open. */
  recovered: boolean;
}

export interface DurableBatchOutcome {
  /** Every item of every call QuickBooks answered (or definitely refused), recovered batches first. */
  results: DurableBatchItemResult[];
  /**
   * What stopped the run, or null. A QboError with outcomeUnknown (or retryable) left its chunk open: it is
   * re-sent verbatim first thing next time. Anything else (ConnectionUnusableError, SubjectBusyError, a
   * database error) stopped before or without a send.
   */
  failure: Error | null;
  /**
   * Subjects without a result: in the chunk whose call failed (open if its outcome is unknown), never sent,
   * or held back because an earlier write of the same record was recovered in this run (re-plan them).
   */
  pending: string[];
}

export interface DurableBatchWriterDeps {
  client: Pick<BatchPoster, 'postPrepared'>;
  batches: WriteBatchRepository;
  logger: Logger;
  clock?: () => Date;
  newRequestId?: () => string;
}

export const MAX_SUBJECT_LENGTH = 200;

/** A definite refusal of the whole call (not retryable, not unknown): nothing in it was applied. */
const isDefiniteRefusal = (error: unknown): error is QboError => error instanceof QboError && !error.retryable && !error.outcomeUnknown;

function outcomeOf(result: BatchItemResult): MemberOutcome {
  if (result.ok) {
    const id = typeof result.body === 'object' && result.body !== null ? (result.body as Record<string, unknown>)['Id'] : undefined;
    return { bId: result.bId, state: 'applied', qboId: typeof id === 'string' ? id : null, errorCode: null };
  }
  return { bId: result.bId, state: result.error.outcomeUnknown ? 'unknown' : 'rejected', qboId: null, errorCode: result.error.code };
}

/**
 * Batch writes that are never applied twice and never lost (issue 14, defect 1). Each chunk of ≤ 30 items is
 * committed (members, exact wire body, requestid) before it is sent. A chunk whose answer was lost stays
 * open and is re-sent verbatim, same requestid and same bytes, before anything new is formed: QuickBooks
 * then answers with its original response instead of writing again. Callers must run one writer per realm
 * at a time (the engine's per-realm advisory lock).
 */
export class DurableBatchWriter {
  private readonly clock: () => Date;
  private readonly newRequestId: () => string;

  constructor(private readonly deps: DurableBatchWriterDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newRequestId = deps.newRequestId ?? (() => crypto.randomUUID());
  }

  /** Re-send every open batch of the realm verbatim, oldest first; stops at the first call that fails again. */
  async recoverOpen(realmId: string): Promise<DurableBatchOutcome> {
    const results: DurableBatchItemResult[] = [];
    let open: OpenWriteBatch[];
    try {
      open = await this.deps.batches.findOpen(realmId);
    } catch (error) {
      return { results, failure: asError(error), pending: [] };
    }
    for (const [index, batch] of open.entries()) {
      const subjects = new Map(batch.members.map((m) => [m.b_id, m.subject]));
      const outcome = await this.sendCommitted(realmId, batch.id, batch.request_id, batch.body, subjects, true);
      results.push(...outcome.results);
      if (outcome.failure) {
        const later = open.slice(index + 1).flatMap((b) => b.members.map((m) => m.subject));
        return { results, failure: outcome.failure, pending: [...outcome.pending, ...later] };
      }
    }
    return { results, failure: null, pending: [] };
  }

  /**
   * Recover the realm's open batches, then send `items` in chunks of ≤ 30, each committed before it leaves.
   * Never rejects for a QuickBooks or database failure: the outcome carries every answered item, the failure
   * that stopped the run and the subjects left without a result. Rejects only for invalid items.
   */
  async send(realmId: string, accountId: string, items: readonly DurableBatchWrite[], lane = 'default'): Promise<DurableBatchOutcome> {
    this.validate(items);
    const recovered = await this.recoverOpen(realmId);
    if (recovered.failure) return { ...recovered, pending: [...recovered.pending, ...items.map((i) => i.subject)] };
    const results = [...recovered.results];
    // A record whose earlier write was just recovered is not written again in this run: the caller formed
    // this item before knowing that outcome (e.g. a create that now has a QuickBooks Id) and must re-plan.
    const resolvedNow = new Set(recovered.results.map((r) => r.subject));
    const heldBack = items.filter((i) => resolvedNow.has(i.subject)).map((i) => i.subject);
    const parts = chunk(items.filter((i) => !resolvedNow.has(i.subject)));
    for (const [index, part] of parts.entries()) {
      const later = parts.slice(index + 1).flatMap((p) => p.map((i) => i.subject));
      const body = toWireJson({ BatchItemRequest: part.map((item) => wireItem(item)) });
      const requestId = this.newRequestId();
      let batchId: string;
      try {
        batchId = await this.deps.batches.create({
          realmId,
          accountId,
          lane,
          requestId,
          body,
          bodySha256: crypto.createHash('sha256').update(body).digest('hex'),
          members: part.map((i) => ({ bId: i.bId, subject: i.subject, operation: i.operation, entity: i.entity })),
        });
      } catch (error) {
        // Not committed, so not sent: nothing of this chunk can have reached QuickBooks.
        return { results, failure: asError(error), pending: [...heldBack, ...part.map((i) => i.subject), ...later] };
      }
      const subjects = new Map(part.map((i) => [i.bId, i.subject]));
      const outcome = await this.sendCommitted(realmId, batchId, requestId, body, subjects, false);
      results.push(...outcome.results);
      if (outcome.failure) return { results, failure: outcome.failure, pending: [...heldBack, ...outcome.pending, ...later] };
    }
    return { results, failure: null, pending: heldBack };
  }

  /** Subjects with a write whose outcome is not known yet: write nothing else for them until recovered. */
  async openSubjects(realmId: string): Promise<Set<string>> {
    return this.deps.batches.openSubjects(realmId);
  }

  private async sendCommitted(
    realmId: string,
    batchId: string,
    requestId: string,
    body: string,
    subjects: ReadonlyMap<string, string>,
    recovered: boolean,
  ): Promise<DurableBatchOutcome> {
    const members = [...subjects.entries()].map(([bId, subject]) => ({ bId, subject }));
    try {
      await this.deps.batches.markSent(batchId, this.clock());
      const response = await this.deps.client.postPrepared(realmId, ['batch'], body, { requestId, kind: 'batch' });
      const answered = readBatchAnswer(members, response);
      await this.bookkeep(realmId, batchId, () => this.deps.batches.recordAnswer(batchId, answered.map(outcomeOf), this.clock()));
      return { results: answered.map((result) => ({ subject: subjects.get(result.bId) ?? '', bId: result.bId, result, recovered })), failure: null, pending: [] };
    } catch (error) {
      if (isDefiniteRefusal(error)) {
        await this.bookkeep(realmId, batchId, () => this.deps.batches.markRejected(batchId, error.code, this.clock()));
        const refused = members.map(({ bId, subject }) => ({ subject, bId, result: { bId, ok: false as const, error }, recovered }));
        return { results: refused, failure: error, pending: [] };
      }
      this.deps.logger.warn({ realmId, batchId, recovered, err: asError(error).message }, 'QuickBooks batch outcome unknown; it stays open and is re-sent as it was');
      return { results: [], failure: asError(error), pending: members.map((m) => m.subject) };
    }
  }

  /** Recording an outcome may fail; the batch then stays open and its re-send replays the same answer. */
  private async bookkeep(realmId: string, batchId: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.deps.logger.warn({ realmId, batchId, err: asError(error).message }, 'could not record a QuickBooks batch outcome');
    }
  }

  private validate(items: readonly DurableBatchWrite[]): void {
    const requests: BatchItemRequest[] = items.map(({ bId, operation, entity, payload }) => ({ bId, operation, entity, payload }));
    validateBatchItems(requests);
    const seen = new Set<string>();
    for (const item of items) {
      if (!('operation' in item) || ('query' as string) in item) throw new Error('a durable batch holds writes only; send lookups with runBatch');
      if (item.subject.length === 0 || item.subject.length > MAX_SUBJECT_LENGTH) throw new Error(`batch subject must be 1-${MAX_SUBJECT_LENGTH} characters`);
      if (seen.has(item.subject)) throw new Error(`one write per record in a batch: ${item.subject} appears twice`);
      seen.add(item.subject);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
