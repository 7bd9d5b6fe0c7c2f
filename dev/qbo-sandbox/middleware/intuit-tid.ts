import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Same shape as recorded ones: 1-<8 hex>-<24 hex>. The plugin logs it with every error. */
export function newIntuitTid(): string {
  return `1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;
}

/** Every response carries an intuit_tid; handlers further down may set their own. */
export function intuitTid(): RequestHandler {
  return (_req, res, next) => {
    if (!res.getHeader('intuit_tid')) res.setHeader('intuit_tid', newIntuitTid());
    next();
  };
}
