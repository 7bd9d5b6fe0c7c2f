import crypto from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * The host exposes no session, so the plugin keeps its own browser-session id in an HttpOnly cookie. It
 * ties an OAuth state and the CSRF token to this browser; SameSite=Lax still sends it on Intuit's
 * top-level redirect back to the callback.
 */
export const SESSION_COOKIE = 'qbo_sid';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A cookie's value, or null when it is missing or not valid percent-encoding (a bad cookie is no cookie). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim());
  }
  return null;
}

function decodeCookieValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The browser's session id, or null when it has none (or a malformed one). */
export function existingSessionId(req: Request): string | null {
  const id = readCookie(req, SESSION_COOKIE);
  return id && SESSION_ID.test(id) ? id : null;
}

/** The browser's session id, creating one (and its cookie) when missing. */
export function ensureSessionId(req: Request, res: Response, cookiePath: string): string {
  const existing = existingSessionId(req);
  if (existing) return existing;
  const id = crypto.randomBytes(32).toString('base64url');
  res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: cookiePath });
  return id;
}
