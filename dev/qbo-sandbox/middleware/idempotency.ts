/**
 * QBO's `requestid`: a repeated requestid in the same realm gets the original status and body back and
 * writes nothing. A repeat that arrives while the original is still running waits for it. Only what the
 * API handlers answered to a request they processed is remembered: faults from the layers before (auth,
 * limits, injected) are not, nor the answer to a body that arrived incomplete or could not be parsed
 * (real QuickBooks never received that request, so the same requestid with the full body is applied).
 */
import type { RequestHandler } from 'express';
import type { SandboxClock } from '../clock';
import { isBatchCall, realmOf, singleQueryParam } from './api-request';
import { interceptResponse, type FinishedBody } from './intercept-response';
import { validationFaultBody } from './intuit-fault-bodies';
import { noteFault, notesOf } from './response-notes';

/** Intuit: at most 50 characters, at most 36 on batch calls. */
export const MAX_REQUESTID_LENGTH = 50;
export const MAX_BATCH_REQUESTID_LENGTH = 36;

export class IdempotencyStore {
  private readonly done = new Map<string, FinishedBody>();
  private readonly running = new Map<string, Promise<FinishedBody | null>>();

  static key(realmId: string, requestid: string): string {
    return `${realmId}\u0000${requestid}`;
  }

  finished(key: string): FinishedBody | undefined {
    return this.done.get(key);
  }

  inFlight(key: string): Promise<FinishedBody | null> | undefined {
    return this.running.get(key);
  }

  /** Marks a request as running; call the returned function with its response (or null if it had none). */
  begin(key: string): (finished: FinishedBody | null) => void {
    let settle: (finished: FinishedBody | null) => void = () => undefined;
    this.running.set(key, new Promise((resolve) => (settle = resolve)));
    return (finished) => {
      this.running.delete(key);
      if (finished) this.done.set(key, finished);
      settle(finished);
    };
  }

  clear(): void {
    this.done.clear();
  }
}

export function idempotency(deps: { store: IdempotencyStore; clock: SandboxClock }): RequestHandler {
  return (req, res, next) => {
    const requestid = singleQueryParam(req, 'requestid');
    if (requestid === null) return next();
    const limit = isBatchCall(req) ? MAX_BATCH_REQUESTID_LENGTH : MAX_REQUESTID_LENGTH;
    if (requestid === undefined || requestid.length === 0 || requestid.length > limit) {
      noteFault(res, '2050');
      const detail = `requestid must be 1 to ${limit} characters`;
      return void res
        .status(400)
        .type('application/json')
        .send(JSON.stringify(validationFaultBody('2050', 'String length is either shorter or longer than supported by specification', detail, 'requestid', deps.clock.now())));
    }
    const key = IdempotencyStore.key(realmOf(req), requestid);
    const replay = (finished: FinishedBody): void => {
      res.status(finished.status);
      if (finished.contentType) res.setHeader('Content-Type', finished.contentType);
      res.end(finished.body);
    };
    const earlier = deps.store.finished(key);
    if (earlier) return replay(earlier);
    const running = deps.store.inFlight(key);
    if (running) {
      void running.then((finished) => (finished ? replay(finished) : next()));
      return;
    }
    const settle = deps.store.begin(key);
    let settled = false;
    interceptResponse(res, 'observe', (finished) => {
      settled = true;
      settle(req.complete && notesOf(res).bodyUnread !== true ? finished : null);
    });
    res.on('close', () => {
      if (!settled) settle(null);
    });
    next();
  };
}
