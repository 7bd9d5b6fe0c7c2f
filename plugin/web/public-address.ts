import type { Request } from 'express';

/**
 * The plugin's one public address: the origin of the configured redirect URI, which is where Intuit sends
 * the browser back. A browser that opened Work at another address of the same machine (127.0.0.1 instead of
 * localhost) keeps separate cookies for it, so its sign-in cannot finish there; these helpers let the pages
 * say exactly that.
 */

/** `scheme://host:port` of an absolute URL (default ports dropped, host lower-cased), or null. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * Where the browser says the page it submitted from lives: the Origin header, which browsers send on every
 * form POST and which a reverse proxy does not rewrite (unlike Host). Null when absent or opaque.
 */
export function browserOrigin(req: Request): string | null {
  const origin = req.get('origin');
  return origin && origin !== 'null' ? originOf(origin) : null;
}
