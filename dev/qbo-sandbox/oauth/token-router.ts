/**
 * Intuit's token endpoint (POST /oauth2/v1/tokens/bearer, form-encoded, HTTP Basic client auth) and its
 * revoke endpoint (POST /v2/oauth2/tokens/revoke, JSON {token}, Basic auth). Errors are answered the way
 * Intuit answers them: 400 {"error":"invalid_grant"} (exactly 25 bytes in the wild), 401 {"error":"invalid_client"}.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { credentialsAccepted, parseBasicAuth, type ClientPolicy } from './client-policy';
import type { OAuthEndpoint } from './oauth-call-log';
import type { OAuthRegistry, TokenPair } from './oauth-registry';

const authorizationCodeGrant = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
});
const refreshTokenGrant = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
});
const revokeBody = z.object({ token: z.string().min(1) });

/** The OAuth error code of this response, for the call log (set by oauthError). */
const ERROR_LOCAL = 'sandboxOAuthError';

function oauthError(res: Response, status: number, error: string): void {
  res.locals[ERROR_LOCAL] = error;
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.type('application/json;charset=UTF-8').send(JSON.stringify({ error }));
}

/** intuit-oauth asks for the 5-year hard expiry with this header (includeRefreshTokenHardExpiresIn). */
function wantsHardExpiry(req: Request): boolean {
  return req.get('x-include-refresh-token-hard-expires-in') === 'true';
}

function tokenResponse(pair: TokenPair, includeHardExpiry: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    x_refresh_token_expires_in: pair.refreshExpiresInS,
    refresh_token: pair.refreshToken,
    access_token: pair.accessToken,
    token_type: 'bearer',
    expires_in: pair.expiresInS,
  };
  if (includeHardExpiry) body.x_refresh_token_hard_expires_in = pair.refreshHardExpiresInS;
  return body;
}

/** Records the call in the registry's call log once it is answered (or its connection closed). */
function logCall(registry: OAuthRegistry, endpoint: OAuthEndpoint) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    res.on('close', () => {
      const body: unknown = req.body;
      const grantType = endpoint === 'token' && typeof body === 'object' && body !== null ? (body as Record<string, unknown>).grant_type : undefined;
      const error: unknown = res.locals[ERROR_LOCAL];
      registry.calls.add({
        endpoint,
        grantType: typeof grantType === 'string' ? grantType : null,
        status: res.statusCode,
        error: typeof error === 'string' ? error : null,
      });
    });
    next();
  };
}

export function createTokenRouter(deps: { registry: OAuthRegistry; policy: ClientPolicy }): Router {
  const router = express.Router();
  const { registry, policy } = deps;
  router.use('/oauth2/v1/tokens/bearer', logCall(registry, 'token'));
  router.use('/v2/oauth2/tokens/revoke', logCall(registry, 'revoke'));

  router.post('/oauth2/v1/tokens/bearer', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const credentials = parseBasicAuth(req.get('authorization'));
    if (!credentialsAccepted(policy, credentials)) return oauthError(res, 401, 'invalid_client');
    if (!req.is('application/x-www-form-urlencoded')) return oauthError(res, 400, 'invalid_request');
    const body: unknown = req.body;
    const grantType = z.object({ grant_type: z.string() }).safeParse(body);
    if (!grantType.success) return oauthError(res, 400, 'invalid_request');

    let outcome: TokenPair | 'invalid_grant';
    if (grantType.data.grant_type === 'authorization_code') {
      const parsed = authorizationCodeGrant.safeParse(body);
      if (!parsed.success) return oauthError(res, 400, 'invalid_request');
      outcome = registry.exchangeCode(credentials.clientId, parsed.data.code, parsed.data.redirect_uri);
    } else if (grantType.data.grant_type === 'refresh_token') {
      const parsed = refreshTokenGrant.safeParse(body);
      if (!parsed.success) return oauthError(res, 400, 'invalid_request');
      outcome = registry.refresh(credentials.clientId, parsed.data.refresh_token);
    } else {
      return oauthError(res, 400, 'unsupported_grant_type');
    }
    if (outcome === 'invalid_grant') return oauthError(res, 400, 'invalid_grant');
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('application/json;charset=UTF-8').send(JSON.stringify(tokenResponse(outcome, wantsHardExpiry(req))));
  });

  router.post('/v2/oauth2/tokens/revoke', express.json({ limit: '16kb' }), (req, res) => {
    const credentials = parseBasicAuth(req.get('authorization'));
    if (!credentialsAccepted(policy, credentials)) return oauthError(res, 401, 'invalid_client');
    const parsed = revokeBody.safeParse(req.body as unknown);
    if (!parsed.success) return oauthError(res, 400, 'invalid_request');
    // RFC 7009: an unknown or already dead token is not an error; the grant is gone either way.
    registry.revoke(credentials.clientId, parsed.data.token);
    res.status(200).type('application/json;charset=UTF-8').send('');
  });

  // Unparsable bodies get an OAuth error, not Express's HTML error page.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    oauthError(res, 400, 'invalid_request');
  });

  return router;
}
