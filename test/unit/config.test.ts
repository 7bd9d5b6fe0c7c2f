import crypto from 'node:crypto';
import { expect } from 'chai';
import { loadConfig, INTUIT_ENDPOINTS, type PluginOptions } from '../../plugin/config';

const KEY = crypto.randomBytes(32).toString('base64');
const valid: PluginOptions = {
  clientId: 'client-id',
  clientSecret: 'client-secret-value-77',
  redirectUri: 'https://work.example/settings/integrations/quickbooks/callback',
  tokenEncryptionKeys: { k1: KEY },
  tokenEncryptionKeyId: 'k1',
};

function errorOf(options: unknown): string {
  try {
    loadConfig(options);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected loadConfig to refuse these options');
}

describe('plugin config', () => {
  it('defaults every Intuit endpoint to the hosts of the chosen environment', () => {
    const sandbox = loadConfig(valid);
    expect(sandbox.environment).to.equal('sandbox');
    expect(sandbox.endpoints).to.deep.equal({
      authorizeUrl: INTUIT_ENDPOINTS.authorizeUrl,
      tokenUrl: INTUIT_ENDPOINTS.tokenUrl,
      revokeUrl: INTUIT_ENDPOINTS.revokeUrl,
      apiBaseUrl: 'https://sandbox-quickbooks.api.intuit.com',
    });
    expect(loadConfig({ ...valid, environment: 'production' }).endpoints.apiBaseUrl).to.equal('https://quickbooks.api.intuit.com');
  });

  it('lets each endpoint be pointed elsewhere (a sandbox or a compatible server)', () => {
    const c = loadConfig({
      ...valid,
      authorizeUrl: 'http://127.0.0.1:9/connect/oauth2',
      tokenUrl: 'http://127.0.0.1:9/oauth2/v1/tokens/bearer',
      revokeUrl: 'http://127.0.0.1:9/v2/oauth2/tokens/revoke',
      apiBaseUrl: 'http://127.0.0.1:9/',
    });
    expect(c.endpoints.tokenUrl).to.equal('http://127.0.0.1:9/oauth2/v1/tokens/bearer');
    expect(c.endpoints.apiBaseUrl).to.equal('http://127.0.0.1:9');
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('refuses to start without an encryption key, naming the missing option', () => {
    const { tokenEncryptionKeys: _k, ...withoutKeys } = valid;
    expect(errorOf(withoutKeys)).to.match(/cannot start.*tokenEncryptionKeys is required/);
    expect(errorOf({ ...valid, tokenEncryptionKeys: {} })).to.match(/tokenEncryptionKeys must hold at least one key/);
  });

  it('refuses a current key id that names no configured key', () => {
    expect(errorOf({ ...valid, tokenEncryptionKeyId: 'k9' })).to.match(/tokenEncryptionKeyId names no key/);
  });

  it('refuses a key that is not 32 bytes of base64, without echoing it', () => {
    const short = crypto.randomBytes(16).toString('base64');
    const message = errorOf({ ...valid, tokenEncryptionKeys: { k1: short } });
    expect(message).to.match(/tokenEncryptionKeys\.k1 must be 32 random bytes/);
    expect(message).not.to.contain(short);
  });

  it('names each missing Intuit app setting and never echoes the secret', () => {
    const message = errorOf({ ...valid, clientId: undefined, redirectUri: 'not a url' });
    expect(message).to.match(/clientId is required/);
    expect(message).to.match(/redirectUri/);
    expect(message).not.to.contain('client-secret-value-77');
    expect(message).not.to.contain(KEY);
  });

  it('refuses an unknown environment and a bad keep-alive schedule', () => {
    expect(errorOf({ ...valid, environment: 'staging' })).to.match(/environment/);
    expect(errorOf({ ...valid, keepAliveCron: 'every day' })).to.match(/keepAliveCron must be a cron expression/);
  });
});
