import type { RequestHandler } from 'express';
import { notesOf } from './response-notes';

/**
 * Real milliseconds added to an API call: the configured latency plus any injected "delay". It runs after
 * the rate limits, so a slow call holds its concurrency slot as a slow QBO call would.
 */
export function latency(deps: { latencyMs: () => number }): RequestHandler {
  return (req, res, next) => {
    const ms = deps.latencyMs() + (notesOf(res).extraDelayMs ?? 0);
    // A caller that hung up during the wait never reached QBO: nothing is handled, and its requestid stays
    // unused (handling it would read an aborted body and remember that answer for the requestid's retry).
    if (ms > 0) setTimeout(() => (req.destroyed ? undefined : next()), ms);
    else next();
  };
}
