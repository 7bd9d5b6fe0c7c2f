import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PluginOptions } from '../plugin/config';
import { DATA_DIR } from './db/embedded-postgres';

const DEV_SECRETS_FILE = path.join(DATA_DIR, 'dev-secrets.json');

interface DevSecrets {
  tokenKeyId: string;
  tokenKey: string;
}

/**
 * The token encryption key for `npm start`: QBO_TOKEN_KEY (base64, 32 bytes) when set, else one generated
 * once and kept in the gitignored .data/ folder, so tokens stored by an earlier run can still be read.
 */
function devSecrets(): DevSecrets {
  const fromEnv = process.env.QBO_TOKEN_KEY;
  if (fromEnv) return { tokenKeyId: process.env.QBO_TOKEN_KEY_ID ?? 'env', tokenKey: fromEnv };
  if (fs.existsSync(DEV_SECRETS_FILE)) return JSON.parse(fs.readFileSync(DEV_SECRETS_FILE, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = { tokenKeyId: 'dev1', tokenKey: crypto.randomBytes(32).toString('base64') };
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(DEV_SECRETS_FILE, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export interface IntuitEndpointOverrides {
  authorizeUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  apiBaseUrl?: string;
}

/**
 * Intuit endpoints from QBO_API_BASE_URL, QBO_AUTHORIZE_URL, QBO_TOKEN_URL and QBO_REVOKE_URL, each left to
 * the plugin's default (Intuit's own host) when unset: the unchanged plugin then talks to our sandbox,
 * Intuit's developer sandbox or any compatible server.
 */
export function endpointOverridesFromEnv(env: NodeJS.ProcessEnv = process.env): IntuitEndpointOverrides {
  const pick = (name: string): string | undefined => (env[name] && env[name] !== '' ? env[name] : undefined);
  const out: IntuitEndpointOverrides = {};
  const api = pick('QBO_API_BASE_URL');
  const authorize = pick('QBO_AUTHORIZE_URL');
  const token = pick('QBO_TOKEN_URL');
  const revoke = pick('QBO_REVOKE_URL');
  if (api) out.apiBaseUrl = api;
  if (authorize) out.authorizeUrl = authorize;
  if (token) out.tokenUrl = token;
  if (revoke) out.revokeUrl = revoke;
  return out;
}

/** The plugin's options for the local stand-in, pointed at the given Intuit-compatible endpoints. */
export function devPluginOptions(publicUrl: string, endpoints: IntuitEndpointOverrides): PluginOptions {
  const secrets = devSecrets();
  return {
    logLevel: (process.env.LOG_LEVEL as PluginOptions['logLevel']) ?? 'info',
    clientId: process.env.QBO_CLIENT_ID ?? 'work-dev-client',
    clientSecret: process.env.QBO_CLIENT_SECRET ?? 'work-dev-secret',
    redirectUri: `${publicUrl}/settings/integrations/quickbooks/callback`,
    tokenEncryptionKeys: { [secrets.tokenKeyId]: secrets.tokenKey },
    tokenEncryptionKeyId: secrets.tokenKeyId,
    ...endpoints,
  };
}
