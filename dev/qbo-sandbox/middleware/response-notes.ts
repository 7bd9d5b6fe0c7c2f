import type { Response } from 'express';

/**
 * What the middleware learnt about a response, for the request log: kept beside the response (not in
 * res.locals, which Express types as any).
 */
export interface ResponseNotes {
  faultCode?: string;
  injectedFault?: string;
  dropped?: boolean;
  /** An injected "delay": served by the latency step, so the slow request holds its concurrency slot. */
  extraDelayMs?: number;
  /** The body could not be read (cut off, not JSON): the request was never processed, so no requestid replay. */
  bodyUnread?: boolean;
}

const notes = new WeakMap<Response, ResponseNotes>();

export function notesOf(res: Response): ResponseNotes {
  let found = notes.get(res);
  if (!found) {
    found = {};
    notes.set(res, found);
  }
  return found;
}

export function noteFault(res: Response, code: string): void {
  notesOf(res).faultCode = code;
}

export function noteBodyUnread(res: Response): void {
  notesOf(res).bodyUnread = true;
}
