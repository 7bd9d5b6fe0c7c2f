/**
 * The API's token check, as Intuit's gateway does it: a missing, unknown, expired or revoked token gets
 * 401 with the lower-case fault body and `WWW-Authenticate`; a valid token of another realm gets 403
 * AuthorizationFailed (3100). The token itself never appears in a response or a log.
 */
import type { RequestHandler } from 'express';
import type { SandboxClock } from '../clock';
import type { OAuthRegistry } from '../oauth/oauth-registry';
import { realmOf } from './api-request';
import { authenticationFailed, authorizationFailed } from './intuit-fault-bodies';
import { sendLowerCaseFault } from './send-fault';

const DETAIL_BY_REASON = {
  missing: 'Authorization header missing or not a Bearer token',
  unknown: 'Token invalid',
  expired: 'Token expired',
  revoked: 'Token revoked',
} as const;

export function bearerAuth(deps: { registry: OAuthRegistry; clock: SandboxClock }): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    if (!token) return sendLowerCaseFault(res, authenticationFailed(DETAIL_BY_REASON.missing), deps.clock.now());
    const check = deps.registry.checkAccessToken(token);
    if (!check.ok) return sendLowerCaseFault(res, authenticationFailed(DETAIL_BY_REASON[check.reason]), deps.clock.now());
    if (check.realmId !== realmOf(req)) return sendLowerCaseFault(res, authorizationFailed(), deps.clock.now());
    next();
  };
}
