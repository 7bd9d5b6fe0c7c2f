import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { messages } from '../web/messages';
import './session-data';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Synchronizer-token CSRF protection: one random token per session, put into every form as `_csrf` (via
 * res.locals.csrfToken) and required back on every unsafe request to Work's own routes. Issuing comes
 * first so every page (the plugin's 403 page included) can render forms; the check covers Work's routes,
 * not the plugin's, which protects its own forms.
 */
export const issueCsrfToken: RequestHandler = (req, res, next) => {
  req.session.csrfToken ??= crypto.randomBytes(32).toString('base64url');
  res.locals.csrfToken = req.session.csrfToken;
  next();
};

export const requireCsrfToken: RequestHandler = (req, res, next) => {
  const expected = req.session.csrfToken;
  if (!UNSAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const body: unknown = req.body;
  const fromBody = typeof body === 'object' && body !== null && '_csrf' in body ? body._csrf : undefined;
  const sent = typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  if (typeof sent !== 'string' || typeof expected !== 'string' || !sameToken(sent, expected)) {
    res.status(403).render('errors/csrf', { title: 'Form expired', message: messages.csrfRefused });
    return;
  }
  next();
};

/** A fresh token, e.g. after signing in, so a token seen before login is useless after it. */
export function rotateCsrfToken(session: { csrfToken?: string }): string {
  session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return session.csrfToken;
}
