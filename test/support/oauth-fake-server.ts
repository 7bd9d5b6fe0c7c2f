import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * A small stand-in for Intuit's OAuth 2.0 endpoints and the two company reads done at connect time, served
 * on loopback. It is strict where races matter: a refresh token dies as soon as it is rotated, so two
 * refreshes with the same token give invalid_grant exactly like Intuit under a race. Tests read its
 * counters. The paths are Intuit's, so the same tests can later point at the team's QBO sandbox.
 */
export interface FakeCompany {
  companyName: string;
  country: string;
  offeringSku: string | null;
}

interface Grant {
  realmId: string;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  revoked: boolean;
}

export interface FakeOAuthServer {
  baseUrl: string;
  endpoints: { authorizeUrl: string; tokenUrl: string; revokeUrl: string; apiBaseUrl: string };
  clientId: string;
  clientSecret: string;
  /** Count of refresh_token grant requests received (answered or not). */
  refreshCalls: number;
  exchangeCalls: number;
  revokedTokens: string[];
  /** Whether each token request asked for the 5-year hard expiry. */
  hardExpiryRequested: boolean[];
  /** Every token value the server has issued (to assert none leaks anywhere). */
  issuedTokens: string[];
  /** Make the authorize page answer like Intuit: approve for this realm, or deny (error=access_denied). */
  authorizeAs: { realmId: string } | { error: string };
  refreshDelayMs: number;
  /** While set, refresh and revoke requests wait for it before they are answered (a hung Intuit). */
  holdRefreshes: Promise<void> | null;
  holdRevokes: Promise<void> | null;
  holdExchanges: Promise<void> | null;
  /** Refresh requests being handled right now, the most at once, and those whose client hung up unanswered. */
  refreshesInFlight: number;
  maxRefreshesInFlight: number;
  abandonedRefreshes: number;
  revokeCalls: number;
  /** Answer every refresh with 400 invalid_grant (an expired or revoked refresh token). */
  failRefreshWith: string | null;
  /** Answer every code exchange with this HTTP status (e.g. 503), burning the code as Intuit does. */
  failExchangeWithStatus: number | null;
  companies: Map<string, FakeCompany | 'unreadable'>;
  /** A grant as if the realm had connected earlier; expiresInSeconds shapes the access token. */
  seedGrant(realmId: string, accessExpiresInSeconds: number): { accessToken: string; refreshToken: string };
  currentRefreshToken(realmId: string): string | null;
  isRevoked(token: string): boolean;
  close(): Promise<void>;
}

const token = (kind: string) => `${kind}-${crypto.randomBytes(18).toString('base64url')}`;

export async function startFakeOAuthServer(): Promise<FakeOAuthServer> {
  const grants: Grant[] = [];
  const codes = new Map<string, { realmId: string; redirectUri: string }>(); // single-use codes
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());

  const state: FakeOAuthServer = {
    baseUrl: '',
    endpoints: { authorizeUrl: '', tokenUrl: '', revokeUrl: '', apiBaseUrl: '' },
    clientId: 'fake-client-id',
    clientSecret: `fake-secret-${crypto.randomBytes(6).toString('hex')}`,
    refreshCalls: 0,
    exchangeCalls: 0,
    revokedTokens: [],
    hardExpiryRequested: [],
    issuedTokens: [],
    authorizeAs: { realmId: '9130350000000001' },
    refreshDelayMs: 0,
    holdRefreshes: null,
    holdRevokes: null,
    holdExchanges: null,
    refreshesInFlight: 0,
    maxRefreshesInFlight: 0,
    abandonedRefreshes: 0,
    revokeCalls: 0,
    failRefreshWith: null,
    failExchangeWithStatus: null,
    companies: new Map(),
    seedGrant(realmId, accessExpiresInSeconds) {
      const grant = newGrant(realmId, accessExpiresInSeconds);
      return { accessToken: grant.accessToken, refreshToken: grant.refreshToken };
    },
    currentRefreshToken(realmId) {
      return [...grants].reverse().find((g) => g.realmId === realmId && !g.revoked)?.refreshToken ?? null;
    },
    isRevoked(t) {
      return state.revokedTokens.includes(t);
    },
    close: async () => undefined,
  };

  function newGrant(realmId: string, accessExpiresInSeconds = 3600): Grant {
    const grant = {
      realmId,
      accessToken: token('at'),
      accessExpiresAt: Date.now() + accessExpiresInSeconds * 1000,
      refreshToken: token('rt'),
      revoked: false,
    };
    state.issuedTokens.push(grant.accessToken, grant.refreshToken);
    grants.push(grant);
    return grant;
  }

  function tokenBody(grant: Grant, withHardExpiry: boolean) {
    return {
      token_type: 'bearer',
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      expires_in: 3600,
      x_refresh_token_expires_in: 8726400,
      ...(withHardExpiry ? { x_refresh_token_hard_expires_in: 157680000 } : {}),
    };
  }

  app.get('/connect/oauth2', (req, res) => {
    const redirect = new URL(String(req.query['redirect_uri']));
    redirect.searchParams.set('state', String(req.query['state'] ?? ''));
    if ('error' in state.authorizeAs) {
      redirect.searchParams.set('error', state.authorizeAs.error);
    } else {
      const code = token('code');
      codes.set(code, { realmId: state.authorizeAs.realmId, redirectUri: redirect.origin + redirect.pathname });
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('realmId', state.authorizeAs.realmId);
    }
    res.redirect(302, redirect.toString());
  });

  app.post('/oauth2/v1/tokens/bearer', async (req, res) => {
    const basic = Buffer.from(`${state.clientId}:${state.clientSecret}`).toString('base64');
    if (req.headers.authorization !== `Basic ${basic}`) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const withHard = req.headers['x-include-refresh-token-hard-expires-in'] === 'true';
    state.hardExpiryRequested.push(withHard);
    const body = req.body as Record<string, string | undefined>;
    if (body['grant_type'] === 'authorization_code') {
      state.exchangeCalls += 1;
      if (state.holdExchanges) await state.holdExchanges;
      const issued = codes.get(body['code'] ?? '');
      codes.delete(body['code'] ?? ''); // single use
      if (state.failExchangeWithStatus) {
        res.status(state.failExchangeWithStatus).json({ error: 'server_error' });
        return;
      }
      // Like Intuit: the code only works with the redirect_uri it was issued for.
      const realmId = issued && issued.redirectUri === body['redirect_uri'] ? issued.realmId : undefined;
      if (!realmId) {
        res.status(400).json({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
        return;
      }
      res.set('intuit_tid', 'fake-tid-exchange').json(tokenBody(newGrant(realmId), withHard));
      return;
    }
    if (body['grant_type'] === 'refresh_token') {
      state.refreshCalls += 1;
      state.refreshesInFlight += 1;
      state.maxRefreshesInFlight = Math.max(state.maxRefreshesInFlight, state.refreshesInFlight);
      res.on('close', () => {
        state.refreshesInFlight -= 1;
        if (!res.writableFinished) state.abandonedRefreshes += 1;
      });
      if (state.refreshDelayMs) await new Promise((r) => setTimeout(r, state.refreshDelayMs));
      if (state.holdRefreshes) await state.holdRefreshes;
      const old = grants.find((g) => g.refreshToken === body['refresh_token'] && !g.revoked);
      if (state.failRefreshWith || !old) {
        res.status(400).set('intuit_tid', 'fake-tid-refresh').json({ error: state.failRefreshWith ?? 'invalid_grant', error_description: 'Token invalid' });
        return;
      }
      old.revoked = true; // rotated: the old refresh token dies at once (stricter than Intuit's grace period)
      res.json(tokenBody(newGrant(old.realmId), withHard));
      return;
    }
    res.status(400).json({ error: 'unsupported_grant_type' });
  });

  app.post('/v2/oauth2/tokens/revoke', async (req, res) => {
    state.revokeCalls += 1;
    if (state.holdRevokes) await state.holdRevokes;
    const t = (req.body as { token?: string }).token ?? '';
    const grant = grants.find((g) => g.refreshToken === t || g.accessToken === t);
    state.revokedTokens.push(t);
    if (grant) {
      grant.revoked = true;
      state.revokedTokens.push(grant.accessToken, grant.refreshToken);
    }
    res.status(200).end();
  });

  function authorizedRealm(req: express.Request): string | null {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = grants.find((g) => g.accessToken === bearer && !g.revoked && g.accessExpiresAt > Date.now());
    return grant?.realmId ?? null;
  }

  app.get('/v3/company/:realmId/companyinfo/:id', (req, res) => {
    const realmId = req.params.realmId;
    if (authorizedRealm(req) !== realmId) {
      res.status(401).json({ fault: { error: [{ message: 'message=AuthenticationFailed', code: '3200' }], type: 'AUTHENTICATION' } });
      return;
    }
    const company = state.companies.get(realmId);
    if (!company || company === 'unreadable') {
      res.status(403).json({ Fault: { Error: [{ Message: 'Authorization Failure', code: '3100' }], type: 'AuthorizationFault' } });
      return;
    }
    const nameValue = [{ Name: 'SubscriptionStatus', Value: 'PAID' }];
    if (company.offeringSku !== null) nameValue.push({ Name: 'OfferingSku', Value: company.offeringSku });
    res.json({
      CompanyInfo: { CompanyName: company.companyName, Country: company.country, NameValue: nameValue, Id: '1', SyncToken: '0', domain: 'QBO' },
      time: new Date().toISOString(),
    });
  });

  app.get('/v3/company/:realmId/preferences', (req, res) => {
    if (authorizedRealm(req) !== req.params.realmId) {
      res.status(401).json({ fault: { error: [{ message: 'message=AuthenticationFailed', code: '3200' }], type: 'AUTHENTICATION' } });
      return;
    }
    res.json({
      Preferences: {
        SalesFormsPrefs: { CustomTxnNumbers: false },
        TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: true },
        CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } },
      },
      time: new Date().toISOString(),
    });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;
  state.endpoints = {
    authorizeUrl: `${state.baseUrl}/connect/oauth2`,
    tokenUrl: `${state.baseUrl}/oauth2/v1/tokens/bearer`,
    revokeUrl: `${state.baseUrl}/v2/oauth2/tokens/revoke`,
    apiBaseUrl: state.baseUrl,
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

/** A loopback URL on which nothing listens: an unreachable token endpoint. */
export async function closedPortUrl(path: string): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
