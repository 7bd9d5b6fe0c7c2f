import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountRef } from '../host/work-host';

/**
 * A route handler that runs only for a signed-in user's own account (the router already let only admins
 * through); a rejected promise goes to the host's error handler.
 */
export function withAccount(
  currentAccount: (req: Request) => AccountRef | null,
  handler: (req: Request, res: Response, account: AccountRef) => Promise<void>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const account = currentAccount(req);
    if (!account) {
      res.status(401).send('Sign in first.');
      return;
    }
    handler(req, res, account).catch(next);
  };
}

/** One field of a parsed form body, whatever the body parser made of it. */
export function bodyField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}
