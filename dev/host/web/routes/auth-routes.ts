import express, { type Request, type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { rotateCsrfToken } from '../../auth/csrf';
import { decoyPasswordHash, verifyPassword } from '../../auth/passwords';
import { findUserWithAccount, safeReturnPath, sessionUserOf } from '../../auth/session-user';
import { messages } from '../messages';
import { queryText } from '../route-support';

// Over-long values are not refused here: they match no account, so they read as a wrong login (401), never a 500.
const MAX_EMAIL = 254;
const MAX_PASSWORD = 1000;
const loginSchema = z.object({
  email: z.string().catch('').transform((s) => s.trim()),
  password: z.string().catch(''),
  next: z.string().catch('/'),
});

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve())));
}

/** Login and logout. Passwords are scrypt hashes; a wrong email costs as much time as a wrong password. */
export function authRoutes(knex: Knex): Router {
  const router = express.Router();

  router.get('/login', (req, res) => {
    if (sessionUserOf(req)) {
      res.redirect(303, safeReturnPath(queryText(req, 'next')));
      return;
    }
    res.render('login', { title: 'Sign in', email: '', next: safeReturnPath(queryText(req, 'next')), error: null });
  });

  router.post('/login', async (req, res) => {
    const { email, password, next } = loginSchema.parse(req.body ?? {});
    const returnTo = safeReturnPath(next);
    if (email === '' || password === '') {
      res.status(422).render('login', { title: 'Sign in', email: email.slice(0, MAX_EMAIL), next: returnTo, error: messages.loginRequired });
      return;
    }
    // No account's email holds a NUL character, and PostgreSQL refuses to compare one.
    const impossible = email.includes('\u0000') || email.length > MAX_EMAIL || password.length > MAX_PASSWORD;
    const user = impossible ? null : await findUserWithAccount(knex, { email });
    // Hashing is bounded too: a megabyte-long password costs no more than a long one.
    const ok = await verifyPassword(password.slice(0, MAX_PASSWORD), user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) {
      res.status(401).render('login', { title: 'Sign in', email: email.slice(0, MAX_EMAIL), next: returnTo, error: messages.loginFailed });
      return;
    }
    // A new session id on sign-in, so a session id planted before login is worthless after it.
    await regenerate(req);
    req.session.userId = user.id;
    rotateCsrfToken(req.session);
    res.redirect(303, returnTo);
  });

  router.post('/logout', async (req, res) => {
    // A fresh, empty session (not just a cleared user id), carrying only the goodbye message.
    await regenerate(req);
    req.session.flash = messages.signedOut;
    res.redirect(303, '/login');
  });

  return router;
}
