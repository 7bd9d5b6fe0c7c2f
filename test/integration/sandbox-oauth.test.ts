import { expect } from 'chai';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import { basicAuth, callApi, postForm, startTestSandbox } from './sandbox-test-support';

const CLIENT_ID = 'app-client-id';
const CLIENT_SECRET = 'app-client-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const SCOPE = 'com.intuit.quickbooks.accounting';

function authorizeUrl(sandbox: RunningSandbox, overrides: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: SCOPE,
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    ...overrides,
  });
  return `${sandbox.baseUrl}/connect/oauth2?${params.toString()}`;
}

async function followAuthorize(url: string): Promise<{ status: number; location: URL | null; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : null, text: await response.text() };
}

function tokenRequest(sandbox: RunningSandbox, form: Record<string, string>, secret = CLIENT_SECRET, extra: Record<string, string> = {}) {
  return postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, form, { authorization: basicAuth(CLIENT_ID, secret), ...extra });
}

async function codeFor(sandbox: RunningSandbox): Promise<string> {
  const { location } = await followAuthorize(authorizeUrl(sandbox));
  const code = location?.searchParams.get('code');
  if (!code) throw new Error('no code in the redirect');
  return code;
}

async function connect(sandbox: RunningSandbox, extra: Record<string, string> = {}) {
  const code = await codeFor(sandbox);
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, CLIENT_SECRET, extra);
}

describe('sandbox OAuth', () => {
  describe('with the consent page (client enforced)', () => {
    let sandbox: RunningSandbox;
    before(async () => {
      sandbox = await startTestSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
    });
    after(() => sandbox.close());

    it('runs authorize → consent → callback → token exchange, and the token opens the chosen realm', async () => {
      const page = await followAuthorize(authorizeUrl(sandbox));
      expect(page.status).to.equal(200);
      const requestId = /name="requestId" value="([^"]+)"/.exec(page.text)?.[1];
      const canadian = sandbox.store.listCompanies().find((company) => company.country === 'CA');
      expect(requestId).to.be.a('string');
      expect(page.text).to.include(`value="${canadian?.realmId}"`);

      const redirect = await fetch(`${sandbox.baseUrl}/connect/oauth2/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ requestId: requestId ?? '', realmId: canadian?.realmId ?? '', decision: 'approve' }).toString(),
        redirect: 'manual',
      });
      expect(redirect.status).to.equal(302);
      const location = new URL(redirect.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT_URI);
      expect(location.searchParams.get('state')).to.equal('state-123');
      expect(location.searchParams.get('realmId')).to.equal(canadian?.realmId);

      const tokens = await tokenRequest(sandbox, { grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI });
      expect(tokens.status).to.equal(200);
      expect(tokens.body).to.include({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
      expect(tokens.body.access_token).to.be.a('string').with.length.above(30);
      expect(tokens.body.refresh_token).to.be.a('string').and.not.equal(tokens.body.access_token);
      expect(tokens.body).not.to.have.property('x_refresh_token_hard_expires_in');

      const created = await callApi(sandbox, `${canadian?.realmId}/customer`, { token: String(tokens.body.access_token), body: { DisplayName: 'Via OAuth' } });
      expect(created.status).to.equal(200);
      const usRealm = await callApi(sandbox, `${sandbox.defaultRealmId}/customer`, { token: String(tokens.body.access_token), body: { DisplayName: 'Wrong realm' } });
      expect(usRealm.status).to.equal(403);
      const replayedConsent = await postForm(`${sandbox.baseUrl}/connect/oauth2/consent`, { requestId: requestId ?? '', realmId: canadian?.realmId ?? '', decision: 'approve' });
      expect(replayedConsent.status).to.equal(400);
    });

    it('sends the person back with error=access_denied and the state when they cancel', async () => {
      const page = await followAuthorize(authorizeUrl(sandbox, { state: 'cancel-me' }));
      const requestId = /name="requestId" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const response = await fetch(`${sandbox.baseUrl}/connect/oauth2/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ requestId, decision: 'cancel' }).toString(),
        redirect: 'manual',
      });
      expect(response.status).to.equal(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).to.equal('access_denied');
      expect(location.searchParams.get('state')).to.equal('cancel-me');
      expect(location.searchParams.has('code')).to.equal(false);
    });

    it('escapes company names on the consent page', async () => {
      sandbox.control.createCompany({ companyName: '<script>alert(1)</script> & Co', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: false });
      const page = await followAuthorize(authorizeUrl(sandbox));
      expect(page.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
      expect(page.text).not.to.include('<script>alert(1)');
    });

    it('shows an error page instead of redirecting for an unknown client or a foreign redirect_uri', async () => {
      for (const overrides of [{ client_id: 'someone-else' }, { redirect_uri: 'http://127.0.0.1:9/elsewhere' }]) {
        const answer = await followAuthorize(authorizeUrl(sandbox, overrides));
        expect(answer.status).to.equal(400);
        expect(answer.location).to.equal(null);
      }
    });

    it('redirects with invalid_scope, unsupported_response_type and invalid_request (no state)', async () => {
      const scope = await followAuthorize(authorizeUrl(sandbox, { scope: 'openid email' }));
      expect(scope.location?.searchParams.get('error')).to.equal('invalid_scope');
      const unknownScope = await followAuthorize(authorizeUrl(sandbox, { scope: `${SCOPE} com.example.everything` }));
      expect(unknownScope.location?.searchParams.get('error')).to.equal('invalid_scope');
      const withOpenId = await followAuthorize(authorizeUrl(sandbox, { scope: `${SCOPE} openid email` }));
      expect(withOpenId.status).to.equal(200);
      const responseType = await followAuthorize(authorizeUrl(sandbox, { response_type: 'token' }));
      expect(responseType.location?.searchParams.get('error')).to.equal('unsupported_response_type');
      const noState = await followAuthorize(authorizeUrl(sandbox, { state: '' }));
      expect(noState.location?.searchParams.get('error')).to.equal('invalid_request');
    });
  });

  describe('token endpoint (auto-approve, client enforced)', () => {
    let sandbox: RunningSandbox;
    beforeEach(async () => {
      sandbox = await startTestSandbox({ autoApprove: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, refreshGraceMs: 60_000 });
    });
    afterEach(() => sandbox.close());

    it('auto-approves at once with code, state and the default realm', async () => {
      const answer = await followAuthorize(authorizeUrl(sandbox));
      expect(answer.status).to.equal(302);
      expect(answer.location?.searchParams.get('state')).to.equal('state-123');
      expect(answer.location?.searchParams.get('realmId')).to.equal(sandbox.defaultRealmId);
      expect(answer.location?.searchParams.get('code')).to.be.a('string');
    });

    it('includes x_refresh_token_hard_expires_in only when intuit-oauth asks for it', async () => {
      const tokens = await connect(sandbox, { 'x-include-refresh-token-hard-expires-in': 'true' });
      expect(tokens.body.x_refresh_token_hard_expires_in).to.equal(5 * 365 * 24 * 3600);
    });

    it('accepts a code only once', async () => {
      const code = await codeFor(sandbox);
      const first = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
      const second = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
      expect(first.status).to.equal(200);
      expect(second.status).to.equal(400);
      expect(second.text).to.equal('{"error":"invalid_grant"}');
    });

    it('lets a code expire after 10 minutes on the sandbox clock', async () => {
      const code = await codeFor(sandbox);
      sandbox.clock.advance(10 * 60 * 1000 + 1000);
      const answer = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
      expect(answer.status).to.equal(400);
      expect(answer.body).to.deep.equal({ error: 'invalid_grant' });
    });

    it('refuses an exchange whose redirect_uri differs from the authorize request', async () => {
      const code = await codeFor(sandbox);
      const answer = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/other' });
      expect(answer.status).to.equal(400);
      expect(answer.body).to.deep.equal({ error: 'invalid_grant' });
    });

    it('answers 401 invalid_client to a wrong secret or no Basic auth', async () => {
      const code = await codeFor(sandbox);
      const wrong = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, 'not-the-secret');
      expect(wrong.status).to.equal(401);
      expect(wrong.body).to.deep.equal({ error: 'invalid_client' });
      const none = await postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
      expect(none.status).to.equal(401);
      const stillUsable = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
      expect(stillUsable.status).to.equal(200);
    });

    it('rotates the refresh token; the previous one works only during the grace period', async () => {
      const first = await connect(sandbox);
      const original = String(first.body.refresh_token);
      const rotated = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: original });
      expect(rotated.status).to.equal(200);
      expect(rotated.body.refresh_token).to.be.a('string').and.not.equal(original);
      expect(rotated.body.access_token).not.to.equal(first.body.access_token);

      sandbox.clock.advance(30_000);
      const withinGrace = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: original });
      expect(withinGrace.status).to.equal(200);

      sandbox.clock.advance(31_000);
      const afterGrace = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: original });
      expect(afterGrace.status).to.equal(400);
      expect(afterGrace.body).to.deep.equal({ error: 'invalid_grant' });
      const newest = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(withinGrace.body.refresh_token) });
      expect(newest.status).to.equal(200);
    });

    it('lets an unused refresh token die after 8726400 s, and answers OAuth errors to malformed requests', async () => {
      const tokens = await connect(sandbox);
      expect(tokens.body).to.include({ x_refresh_token_expires_in: 8726400 });
      sandbox.clock.advance(8726400 * 1000);
      const expired = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) });
      expect(expired.body).to.deep.equal({ error: 'invalid_grant' });
      expect((await tokenRequest(sandbox, { grant_type: 'password' })).body).to.deep.equal({ error: 'unsupported_grant_type' });
      expect((await tokenRequest(sandbox, { grant_type: 'refresh_token' })).body).to.deep.equal({ error: 'invalid_request' });
      const badJson = await fetch(`${sandbox.baseUrl}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: basicAuth(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(badJson.status).to.equal(400);
      expect(await badJson.json()).to.deep.equal({ error: 'invalid_request' });
      expect(badJson.headers.get('intuit_tid')).to.be.a('string');
    });

    it('revokes the whole grant: the refresh token and the access token both die', async () => {
      const tokens = await connect(sandbox);
      const accessToken = String(tokens.body.access_token);
      expect((await callApi(sandbox, `${sandbox.defaultRealmId}/customer`, { token: accessToken, body: { DisplayName: 'Before revoke' } })).status).to.equal(200);
      const revoke = await fetch(`${sandbox.baseUrl}/v2/oauth2/tokens/revoke`, {
        method: 'POST',
        headers: { authorization: basicAuth(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: tokens.body.refresh_token }),
      });
      expect(revoke.status).to.equal(200);
      const refresh = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) });
      expect(refresh.body).to.deep.equal({ error: 'invalid_grant' });
      const call = await callApi(sandbox, `${sandbox.defaultRealmId}/customer`, { token: accessToken, body: { DisplayName: 'After revoke' } });
      expect(call.status).to.equal(401);
    });

    it('expires access tokens after 3600 s with the recorded 401 shape', async () => {
      const tokens = await connect(sandbox);
      const accessToken = String(tokens.body.access_token);
      sandbox.clock.advance(3599_000);
      expect((await callApi(sandbox, `${sandbox.defaultRealmId}/customer/1`, { token: accessToken })).status).not.to.equal(401);
      sandbox.clock.advance(1_000);
      const expired = await callApi(sandbox, `${sandbox.defaultRealmId}/customer/1`, { token: accessToken });
      expect(expired.status).to.equal(401);
      expect(expired.headers.get('www-authenticate')).to.equal('Bearer realm="Intuit", error="invalid_token"');
      expect(expired.headers.get('content-type')).to.match(/^application\/json/);
      expect(expired.headers.get('intuit_tid')).to.match(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      const body = expired.json() as Record<string, unknown>;
      expect(Object.keys(body)).to.have.members([
        'warnings', 'intuitObject', 'fault', 'report', 'queryResponse', 'batchItemResponse', 'attachableResponse',
        'syncErrorResponse', 'requestId', 'time', 'status', 'cdcresponse',
      ]);
      expect(body.fault).to.deep.equal({
        error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail: 'Token expired', code: '3200', element: null }],
        type: 'AUTHENTICATION',
      });
      expect(body.time).to.be.a('number').and.closeTo(sandbox.clock.nowMs(), 5000); // sandbox time, an hour ahead
      expect(expired.text).not.to.include(accessToken);
    });

    it('answers 401 to a missing or unknown token and 403 AuthorizationFailed to another realm', async () => {
      expect((await callApi(sandbox, `${sandbox.defaultRealmId}/customer/1`)).status).to.equal(401);
      expect((await callApi(sandbox, `${sandbox.defaultRealmId}/customer/1`, { token: 'made-up' })).status).to.equal(401);
      const otherRealm = sandbox.store.listCompanies().find((company) => company.realmId !== sandbox.defaultRealmId)?.realmId;
      const forbidden = await callApi(sandbox, `${otherRealm}/customer/1`, { token: sandbox.issueAccessToken(sandbox.defaultRealmId) });
      expect(forbidden.status).to.equal(403);
      const body = forbidden.json() as { fault: unknown };
      expect(body.fault).to.deep.equal({
        error: [{ message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403', detail: null, code: '3100', element: null }],
        type: 'SERVICE',
      });
    });
  });

  describe('without a configured client', () => {
    it('accepts any non-empty client id and secret and any redirect_uri', async () => {
      const sandbox = await startTestSandbox({ autoApprove: true });
      try {
        const redirectUri = 'http://localhost:1234/anything';
        const params = new URLSearchParams({ client_id: 'whoever', response_type: 'code', scope: SCOPE, redirect_uri: redirectUri, state: 's' });
        const answer = await followAuthorize(`${sandbox.baseUrl}/connect/oauth2?${params.toString()}`);
        const code = answer.location?.searchParams.get('code') ?? '';
        const tokens = await postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, { authorization: basicAuth('whoever', 'anything') });
        expect(tokens.status).to.equal(200);
        const emptySecret = await postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) }, { authorization: basicAuth('whoever', '') });
        expect(emptySecret.status).to.equal(401);
        const otherClient = await postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) }, { authorization: basicAuth('another-app', 'x') });
        expect(otherClient.body).to.deep.equal({ error: 'invalid_grant' });
      } finally {
        await sandbox.close();
      }
    });
  });
});
