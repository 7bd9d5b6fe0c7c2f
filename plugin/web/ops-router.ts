import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { HealthService } from '../ops/health';

export interface OpsRouterDeps {
  /** The `opsToken` option; null turns the route off (404), so no deployment exposes it by accident. */
  opsToken: string | null;
  health: Pick<HealthService, 'health'>;
  logger: Logger;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * GET <mountPath>/ops/health[?account=<id>]: the health report for monitoring, as JSON. Protected by a bearer
 * token rather than the admin login: a monitoring system has no Work session, and the report spans every
 * account, which no single account's admin may see. The state is also in the X-QBO-Health header.
 */
export function createOpsRouter(deps: OpsRouterDeps): Router {
  const router = express.Router();
  const expected = deps.opsToken === null ? null : digest(deps.opsToken);

  const authorised: RequestHandler = (req, res, next) => {
    if (expected === null) {
      res.status(404).json({ message: 'Not found.' });
      return;
    }
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    // Digests have one length, so the comparison is constant-time whatever was sent.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      deps.logger.warn({ ip: req.ip }, 'QuickBooks health route refused: missing or wrong bearer token');
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ message: 'A valid bearer token (the opsToken option) is required.' });
      return;
    }
    next();
  };

  router.get('/health', authorised, async (req, res) => {
    const account = typeof req.query['account'] === 'string' && req.query['account'] !== '' ? req.query['account'] : undefined;
    const report = await deps.health.health(account === undefined ? {} : { accountId: account });
    res.set('Cache-Control', 'no-store').set('X-QBO-Health', report.state).json(report);
  });
  return router;
}
