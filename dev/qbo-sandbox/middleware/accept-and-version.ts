/**
 * QBO answers XML unless Accept asks for application/json. The sandbox speaks JSON only, so rather than
 * silently answering JSON to a client that forgot the header it refuses with 406 and an XML fault: a
 * client that would break on real QBO breaks here too.
 * Minor versions below 75 are retired (Aug 2025): every such request runs as 75.
 */
import type { RequestHandler } from 'express';
import type { SandboxClock } from '../clock';
import { sendXmlFault } from './send-fault';

export const MINIMUM_MINOR_VERSION = 75;

export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (type !== 'application/json') return false;
    const quality = params.find((param) => param.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

export function requireJsonAccept(deps: { clock: SandboxClock }): RequestHandler {
  return (req, res, next) => {
    if (acceptsJson(req.get('accept'))) return next();
    sendXmlFault(
      res,
      406,
      {
        type: 'ValidationFault',
        code: '10000',
        message: 'Not Acceptable',
        detail: 'Send Accept: application/json. QuickBooks Online answers XML otherwise; this sandbox only speaks JSON.',
      },
      deps.clock.now(),
    );
  };
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
