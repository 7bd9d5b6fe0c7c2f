import pino, { type Logger } from 'pino';

/**
 * Secrets are redacted by key wherever they appear, so a careless log call cannot leak a token. `code` is
 * deliberately absent: QuickBooks fault codes (6240, 5010…) must stay readable; the OAuth authorization
 * code is never logged under any key.
 */
export const REDACTED_KEYS = [
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'id_token',
  'client_secret',
  'clientSecret',
  'authorization',
  'Authorization',
  'tokenEncryptionKeys',
  'access_token_enc',
  'refresh_token_enc',
  'webhookVerifierToken',
  'verifierToken',
  'opsToken',
];

/** `destination` lets tests read what was written. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const options = { name: 'qbo-sync', level, redact: { paths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
