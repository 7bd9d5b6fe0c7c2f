import { expect } from 'chai';
import { IntuitOAuthGateway } from '../../plugin/qbo/oauth/intuit-oauth-gateway';
import { TokenEndpointUnavailableError } from '../../plugin/qbo/oauth/errors';
import { startFakeOAuthServer, type FakeOAuthServer } from '../support/oauth-fake-server';

describe('Intuit OAuth gateway over HTTP', () => {
  let fake: FakeOAuthServer;
  let gateway: IntuitOAuthGateway;
  const redirectUri = 'http://127.0.0.1/settings/integrations/quickbooks/callback';

  beforeEach(async () => {
    fake = await startFakeOAuthServer();
    gateway = new IntuitOAuthGateway({
      environment: 'sandbox',
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri,
      endpoints: fake.endpoints,
      clock: () => new Date(),
    });
  });
  afterEach(() => fake.close());

  async function codeFromAuthorize(): Promise<{ code: string; realmId: string }> {
    const res = await fetch(gateway.authorizeUrl('some-state'), { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '');
    return { code: location.searchParams.get('code') ?? '', realmId: location.searchParams.get('realmId') ?? '' };
  }

  it('exchanges a code once and gets the token pair', async () => {
    const { code, realmId } = await codeFromAuthorize();
    const tokens = await gateway.exchangeCode(code, realmId);
    expect(fake.issuedTokens).to.include(tokens.accessToken);
    expect(fake.exchangeCalls).to.equal(1);
  });

  it('never retries a code exchange: a 503 is reported at once after one call (the code is single use)', async () => {
    fake.failExchangeWithStatus = 503;
    const { code, realmId } = await codeFromAuthorize();
    const error = await gateway.exchangeCode(code, realmId).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(TokenEndpointUnavailableError);
    // intuit-oauth on its own would have sent it three more times (after 1, 2 and 4 s).
    expect(fake.exchangeCalls).to.equal(1);
  });
});
