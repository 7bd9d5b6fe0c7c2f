import { timingSafeEqual } from 'node:crypto';

/**
 * Which app may use the sandbox's OAuth. With clientId/clientSecret/redirectUri configured they are
 * enforced exactly as Intuit does; without them any non-empty id and secret and any redirect URI pass.
 */
export interface ClientPolicy {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Parses `Authorization: Basic base64(id:secret)`; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): ClientCredentials | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

export function clientIdAccepted(policy: ClientPolicy, clientId: string | undefined): clientId is string {
  if (!clientId) return false;
  return policy.clientId === undefined || policy.clientId === clientId;
}

export function credentialsAccepted(policy: ClientPolicy, credentials: ClientCredentials | null): credentials is ClientCredentials {
  if (!credentials || !clientIdAccepted(policy, credentials.clientId) || credentials.clientSecret === '') return false;
  return policy.clientSecret === undefined || sameSecret(policy.clientSecret, credentials.clientSecret);
}

export function redirectUriAccepted(policy: ClientPolicy, redirectUri: string | undefined): redirectUri is string {
  if (!redirectUri) return false;
  return policy.redirectUri === undefined || policy.redirectUri === redirectUri;
}
