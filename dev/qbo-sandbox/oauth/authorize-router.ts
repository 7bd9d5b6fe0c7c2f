/**
 * Intuit's authorize endpoint (GET /connect/oauth2) and the sandbox's consent form. Problems with the
 * client or the redirect URI are shown as a page (redirecting there would be unsafe); the others go back
 * to the redirect URI with `error` and `state`, as OAuth 2.0 says.
 */
import { randomBytes } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import type { SandboxStoreApi } from '../contracts';
import type { SandboxClock } from '../clock';
import { clientIdAccepted, redirectUriAccepted, type ClientPolicy } from './client-policy';
import { authorizeErrorPage, consentPage } from './consent-page';
import { AUTHORIZATION_CODE_LIFE_MS, type OAuthRegistry } from './oauth-registry';

export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** The scopes intuit-oauth knows (OAuthClient.scopes); anything else is refused as Intuit refuses it. */
const KNOWN_SCOPES = new Set([
  ACCOUNTING_SCOPE, 'com.intuit.quickbooks.payment', 'payroll.compensation.read', 'project-management.project',
  'app-foundations.custom-dimensions.read', 'app-foundations.custom-field-definitions', 'time-tracking.time-entry',
  'indirect-tax.tax-calculation.quickbooks', 'openid', 'profile', 'email', 'phone', 'address',
]);

function scopeAcceptable(scope: string | undefined): boolean {
  const scopes = scope?.split(' ').filter((part) => part !== '') ?? [];
  return scopes.includes(ACCOUNTING_SCOPE) && scopes.every((part) => KNOWN_SCOPES.has(part));
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  expiresAtMs: number;
}

export interface AuthorizeDeps {
  registry: OAuthRegistry;
  policy: ClientPolicy;
  store: SandboxStoreApi;
  clock: SandboxClock;
  autoApprove: () => boolean;
  defaultRealmId: () => string | null;
}

const authorizeQuery = z.object({
  client_id: z.string().optional(),
  response_type: z.string().optional(),
  scope: z.string().optional(),
  redirect_uri: z.string().optional(),
  state: z.string().optional(),
});

const consentForm = z.object({
  requestId: z.string().min(1),
  decision: z.enum(['approve', 'cancel']),
  realmId: z.string().optional(),
});

function redirectWith(res: Response, redirectUri: string, params: Record<string, string>): void {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  res.redirect(302, target.toString());
}

function isAbsoluteUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function createAuthorizeRouter(deps: AuthorizeDeps): Router {
  const router = express.Router();
  const pending = new Map<string, PendingAuthorization>();

  router.get('/connect/oauth2', (req, res) => {
    const query = authorizeQuery.safeParse(req.query as unknown);
    if (!query.success) return void res.status(400).type('html').send(authorizeErrorPage('Malformed authorization request.'));
    const { client_id: clientId, response_type: responseType, scope, redirect_uri: redirectUri, state } = query.data;
    if (!clientIdAccepted(deps.policy, clientId)) {
      return void res.status(400).type('html').send(authorizeErrorPage('Unknown client_id.'));
    }
    if (!redirectUriAccepted(deps.policy, redirectUri) || !isAbsoluteUrl(redirectUri)) {
      return void res.status(400).type('html').send(authorizeErrorPage('The redirect_uri is not one registered for this app.'));
    }
    const fail = (error: string): void => redirectWith(res, redirectUri, state ? { error, state } : { error });
    if (responseType !== 'code') return fail('unsupported_response_type');
    if (!scopeAcceptable(scope)) return fail('invalid_scope');
    if (!state) return fail('invalid_request');

    if (deps.autoApprove()) {
      const realmId = deps.defaultRealmId();
      if (realmId === null) return fail('access_denied');
      const code = deps.registry.issueCode(clientId, realmId, redirectUri);
      return redirectWith(res, redirectUri, { code, state, realmId });
    }
    const requestId = randomBytes(16).toString('base64url');
    pending.set(requestId, { clientId, redirectUri, state, expiresAtMs: deps.clock.nowMs() + AUTHORIZATION_CODE_LIFE_MS });
    res.status(200).type('html').send(
      consentPage({ requestId, appName: clientId, companies: deps.store.listCompanies(), defaultRealmId: deps.defaultRealmId() }),
    );
  });

  router.post('/connect/oauth2/consent', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const form = consentForm.safeParse(req.body as unknown);
    if (!form.success) return void res.status(400).type('html').send(authorizeErrorPage('Malformed consent form.'));
    const request = pending.get(form.data.requestId);
    pending.delete(form.data.requestId);
    if (!request || deps.clock.nowMs() >= request.expiresAtMs) {
      return void res.status(400).type('html').send(authorizeErrorPage('This authorization request has expired. Start again from the app.'));
    }
    if (form.data.decision === 'cancel') return redirectWith(res, request.redirectUri, { error: 'access_denied', state: request.state });
    const realmId = form.data.realmId;
    if (!realmId || !deps.store.getCompany(realmId)) {
      return void res.status(400).type('html').send(authorizeErrorPage('Pick one of the companies.'));
    }
    const code = deps.registry.issueCode(request.clientId, realmId, request.redirectUri);
    redirectWith(res, request.redirectUri, { code, state: request.state, realmId });
  });

  return router;
}
