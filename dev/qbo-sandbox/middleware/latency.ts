import type { RequestHandler } from 'express';
import { notesOf } from './response-notes';

/**
 * Real milliseconds added to an API call: the configured latency plus any injected "delay". It runs after
 * the rate limits, so a slow call holds its concurrency slot as a slow QBO call would.
 */
export function latency(deps: { latencyMs: () => number }): RequestHandler {
  return (_req, res, next) => {
    const ms = deps.latencyMs() + (notesOf(res).extraDelayMs ?? 0);
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}
