/**
 * Where the QuickBooks Accounting API lives and how its paths are built. The base URL is configurable so
 * the unchanged client talks to Intuit's sandbox, production, the team's simulator or a test server.
 */

export const QBO_API_BASE_URLS = {
  sandbox: 'https://sandbox-quickbooks.api.intuit.com',
  production: 'https://quickbooks.api.intuit.com',
} as const;

export type QboEnvironment = keyof typeof QBO_API_BASE_URLS;

/** Minor versions 1–74 are retired (Aug 2025): every request runs as 75, so say so explicitly. */
export const QBO_MINOR_VERSION = '75';

/** QBO calls can take up to 120 s (Intuit); a little more before giving up on the socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 125_000;

export function defaultApiBaseUrl(environment: QboEnvironment): string {
  return QBO_API_BASE_URLS[environment];
}

/** The configured base, or Intuit's host for the environment; never with a trailing slash. */
export function resolveApiBaseUrl(environment: QboEnvironment, override?: string | null): string {
  const base = override ?? defaultApiBaseUrl(environment);
  const url = new URL(base); // throws on a malformed configuration, at start-up rather than on first call
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`QuickBooks API base must be http(s): ${url.protocol}`);
  return base.replace(/\/+$/, '');
}

/** Realm ids are decimal company ids; anything else would let a value reshape the request path. */
export function assertRealmId(realmId: string): void {
  if (!/^\d{1,30}$/.test(realmId)) throw new Error('QuickBooks realm id must be digits');
}

const PATH_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** `/v3/company/{realmId}/{segments…}`; each segment is checked, not escaped, so no ".." or "/" slips in. */
export function companyPath(realmId: string, ...segments: string[]): string {
  assertRealmId(realmId);
  for (const segment of segments) {
    if (!PATH_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new Error(`unsafe QuickBooks path segment: ${JSON.stringify(segment)}`);
    }
  }
  return ['', 'v3', 'company', realmId, ...segments].join('/');
}
