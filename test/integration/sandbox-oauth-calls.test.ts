import { expect } from 'chai';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import { basicAuth, postForm, startTestSandbox } from './sandbox-test-support';

const CLIENT_ID = 'calls-client';
const CLIENT_SECRET = 'calls-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';

describe('sandbox OAuth call log (control API)', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, autoApprove: true });
  });
  after(() => sandbox.close());
  beforeEach(() => sandbox.control.clearOAuthCalls());

  const token = (form: Record<string, string>, secret = CLIENT_SECRET) =>
    postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, form, { authorization: basicAuth(CLIENT_ID, secret) });
  const revoke = (value: string) =>
    fetch(`${sandbox.baseUrl}/v2/oauth2/tokens/revoke`, {
      method: 'POST',
      headers: { authorization: basicAuth(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/json' },
      body: JSON.stringify({ token: value }),
    });

  async function code(): Promise<string> {
    const params = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' });
    const answer = await fetch(`${sandbox.baseUrl}/connect/oauth2?${params.toString()}`, { redirect: 'manual' });
    const found = new URL(answer.headers.get('location') ?? '').searchParams.get('code');
    if (!found) throw new Error('no code');
    return found;
  }

  it('counts token calls by grant type and revoke calls, with status and OAuth error, holding no secret', async () => {
    const first = await token({ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT_URI });
    const refreshToken = String(first.body.refresh_token);
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(rotated.status).to.equal(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'RT1-unknown' })).status).to.equal(400);
    expect((await token({ grant_type: 'refresh_token', refresh_token: refreshToken }, 'wrong')).status).to.equal(401);
    expect((await token({ grant_type: 'password' })).status).to.equal(400);
    expect((await revoke(String(rotated.body.refresh_token))).status).to.equal(200);

    expect(sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 1, refresh_token: 3, revoke: 1, other: 1 });
    const calls = sandbox.control.oauthCalls().map(({ endpoint, grantType, status, error }) => ({ endpoint, grantType, status, error }));
    expect(calls).to.deep.equal([
      { endpoint: 'token', grantType: 'authorization_code', status: 200, error: null },
      { endpoint: 'token', grantType: 'refresh_token', status: 200, error: null },
      { endpoint: 'token', grantType: 'refresh_token', status: 400, error: 'invalid_grant' },
      { endpoint: 'token', grantType: 'refresh_token', status: 401, error: 'invalid_client' },
      { endpoint: 'token', grantType: 'password', status: 400, error: 'unsupported_grant_type' },
      { endpoint: 'revoke', grantType: null, status: 200, error: null },
    ]);

    const overHttp = (await (await fetch(`${sandbox.baseUrl}/_control/oauth-calls`)).json()) as { counts: unknown; calls: unknown[] };
    expect(overHttp.counts).to.deep.equal(sandbox.control.oauthCallCounts());
    expect(overHttp.calls).to.have.length(6);
    const secrets = sandbox.control.issuedSecrets().map((s) => s.value);
    expect(secrets).to.include(refreshToken);
    for (const secret of secrets) expect(JSON.stringify(overHttp)).not.to.contain(secret);

    expect((await fetch(`${sandbox.baseUrl}/_control/oauth-calls`, { method: 'DELETE' })).status).to.equal(204);
    expect(sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 0, refresh_token: 0, revoke: 0, other: 0 });
  });

  it('lists every issued code and token with its realm', async () => {
    const c = await code();
    const pair = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT_URI });
    const issued = sandbox.control.issuedSecrets();
    const realmId = sandbox.defaultRealmId;
    expect(issued).to.deep.include({ kind: 'code', value: c, realmId });
    expect(issued).to.deep.include({ kind: 'access_token', value: String(pair.body.access_token), realmId });
    expect(issued).to.deep.include({ kind: 'refresh_token', value: String(pair.body.refresh_token), realmId });
  });
});
