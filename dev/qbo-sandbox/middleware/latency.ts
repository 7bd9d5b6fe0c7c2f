import type { RequestHandler } from 'express';

/** Real milliseconds added to every API call, to make concurrency and timeouts visible. */
export function latency(deps: { latencyMs: () => number }): RequestHandler {
  return (_req, _res, next) => {
    const ms = deps.latencyMs();
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}
