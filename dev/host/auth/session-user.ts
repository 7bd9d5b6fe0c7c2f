import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { messages } from '../web/messages';
import './session-data';

/** The signed-in user as the request sees it. Loaded fresh on every request, so revoked rights apply at once. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  accountId: string;
  accountName: string;
}

// A WeakMap rather than a property on Request: no global type augmentation, and nothing outlives the request.
const usersByRequest = new WeakMap<Request, SessionUser>();

export function sessionUserOf(req: Request): SessionUser | null {
  return usersByRequest.get(req) ?? null;
}

interface UserAccountRow {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
  account_id: string;
  account_name: string;
}

export async function findUserWithAccount(knex: Knex, where: { id: string } | { email: string }): Promise<(SessionUser & { passwordHash: string }) | null> {
  const q = knex('users')
    .join('accounts', 'accounts.id', 'users.account_id')
    .first<(UserAccountRow & { password_hash: string }) | undefined>(
      'users.id', 'users.email', 'users.name', 'users.is_admin', 'users.password_hash', 'users.account_id', 'accounts.name as account_name',
    );
  if ('id' in where) q.where('users.id', where.id);
  else q.whereRaw('lower(users.email) = lower(?)', [where.email]);
  const row = await q;
  if (!row) return null;
  return {
    id: String(row.id),
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    accountId: String(row.account_id),
    accountName: row.account_name,
    passwordHash: row.password_hash,
  };
}

/** Attach the session's user (if any) to the request; a session whose user is gone is signed out. */
export function loadSessionUser(knex: Knex): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const userId = req.session.userId;
    if (userId === undefined) {
      next();
      return;
    }
    const found = await findUserWithAccount(knex, { id: userId });
    if (found) {
      const { passwordHash: _hash, ...user } = found;
      usersByRequest.set(req, user);
    } else {
      delete req.session.userId;
    }
    next();
  };
}

/** A path inside this app to return to after signing in; anything else (other hosts, "//x") goes home. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}

export function loginRedirect(req: Request, res: Response): void {
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
}

/** Signed-in users only; everyone else is sent to the login page. */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (!sessionUserOf(req)) {
    loginRedirect(req, res);
    return;
  }
  next();
};

/** Admins of the current account only: anonymous → login, signed-in non-admin → 403 page. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  const user = sessionUserOf(req);
  if (!user) {
    loginRedirect(req, res);
    return;
  }
  if (!user.isAdmin) {
    res.status(403).render('errors/forbidden', { title: 'Not allowed', message: messages.forbidden });
    return;
  }
  next();
};
