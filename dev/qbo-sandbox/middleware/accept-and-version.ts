/**
 * QBO answers XML unless Accept asks for application/json (api/respond.ts writes it), so a client that
 * forgets the header gets XML here as in production.
 * Minor versions below 75 are retired (Aug 2025): every such request runs as 75.
 */
import type { RequestHandler } from 'express';

export const MINIMUM_MINOR_VERSION = 75;

/** True when Accept names application/json with a non-zero quality. */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (type !== 'application/json') return false;
    const quality = params.find((param) => param.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/** Rewrites minorversion=1..74 to 75 in the URL, so every handler further down sees what QBO runs. */
export function retiredMinorVersions(): RequestHandler {
  return (req, _res, next) => {
    const question = req.url.indexOf('?');
    if (question !== -1) {
      const params = new URLSearchParams(req.url.slice(question + 1));
      const requested = params.get('minorversion');
      if (requested !== null && /^\d+$/.test(requested) && Number(requested) < MINIMUM_MINOR_VERSION) {
        params.set('minorversion', String(MINIMUM_MINOR_VERSION));
        req.url = `${req.url.slice(0, question)}?${params.toString()}`;
      }
    }
    next();
  };
}
