import express, { type Request, type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { rotateCsrfToken } from '../../auth/csrf';
import { decoyPasswordHash, verifyPassword } from '../../auth/passwords';
import { findUserWithAccount, safeReturnPath, sessionUserOf } from '../../auth/session-user';
import { messages } from '../messages';
import { queryText } from '../route-support';

const loginSchema = z.object({
  email: z.string().catch('').pipe(z.string().trim().max(254)),
  password: z.string().catch('').pipe(z.string().max(1000)),
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
      res.status(422).render('login', { title: 'Sign in', email, next: returnTo, error: messages.loginRequired });
      return;
    }
    // No account's email holds a NUL character, and PostgreSQL refuses to compare one.
    const user = email.includes('\u0000') ? null : await findUserWithAccount(knex, { email });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) {
      res.status(401).render('login', { title: 'Sign in', email, next: returnTo, error: messages.loginFailed });
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
