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

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
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
    const given: unknown = req.query['account'];
    // One plain id or none: a repeated, nested, overlong or NUL-bearing value names no account (and PostgreSQL
    // refuses a NUL), so it is answered as the operator's mistake rather than with every account or a 500.
    if (given !== undefined && given !== '' && (typeof given !== 'string' || !ACCOUNT_ID.test(given))) {
      res.status(400).set('Cache-Control', 'no-store').json({ message: 'The account parameter must be one account id (letters, digits, "-" or "_", at most 64).' });
      return;
    }
    const account = typeof given === 'string' && given !== '' ? given : undefined;
    const report = await deps.health.health(account === undefined ? {} : { accountId: account });
    res.set('Cache-Control', 'no-store').set('X-QBO-Health', report.state).json(report);
  });
  return router;
}
