import pino, { type Logger } from 'pino';

/** Secrets are redacted by key wherever they appear, so a careless log call cannot leak a token. */
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
  'code',
];

export function createLogger(level: string): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino({ name: 'qbo-sync', level, redact: { paths, censor: '[redacted]' } });
}
