import OAuthClient from 'intuit-oauth';
import { z } from 'zod';
import type { IntuitEndpoints } from '../../config';
import { OAuthGrantError, TokenEndpointUnavailableError } from './errors';
import { ACCOUNTING_SCOPE, type OAuthGateway } from './oauth-gateway';
import { parseTokenResponse, type TokenSet } from './token-set';

export interface IntuitOAuthGatewayDeps {
  environment: 'sandbox' | 'production';
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  endpoints: Pick<IntuitEndpoints, 'authorizeUrl' | 'tokenUrl' | 'revokeUrl'>;
  clock: () => Date;
  /** Hard bound on every token, refresh and revoke call, its retries included (default 30 s): then it is aborted. */
  requestTimeoutMs?: number;
}

export const DEFAULT_INTUIT_REQUEST_TIMEOUT_MS = 30_000;

/** What intuit-oauth hands to axios for each of its requests. */
type IntuitRequest = Record<string, unknown>;

// What intuit-oauth throws: an Error with Intuit's error code copied onto it and the raw response attached.
// Only these fields are read; the attached response (which holds tokens and the Basic header) is dropped.
const thrownSchema = z.object({
  error: z.string().optional(),
  intuit_tid: z.string().optional(),
  authResponse: z.object({ response: z.object({ status: z.number() }).partial().or(z.string()) }).partial().or(z.string()).optional(),
});

const OAUTH_ERROR_CODE = /^[a-z_]{3,64}$/;

function toSafeError(thrown: unknown, timeoutMs: number): Error {
  // Our own bound fired (axios timeout, or the abort signal): the call is over, nothing more will arrive.
  if (thrown instanceof Error && /^(timeout of \d+ms exceeded|canceled|This operation was aborted)$/i.test(thrown.message)) {
    return new TokenEndpointUnavailableError(`no answer within ${timeoutMs} ms`, null);
  }
  const parsed = thrownSchema.safeParse(thrown);
  const fields = parsed.success ? parsed.data : {};
  const response = typeof fields.authResponse === 'object' ? fields.authResponse.response : undefined;
  const status = typeof response === 'object' && response.status !== undefined ? response.status : null;
  const code = fields.error ?? '';
  const tid = fields.intuit_tid || null;
  // A 4xx is Intuit's final word on this request (retrying cannot help), with or without an error code.
  if (status !== null && status >= 400 && status < 500) {
    return new OAuthGrantError(OAUTH_ERROR_CODE.test(code) ? code : `http_${status}`, status, tid);
  }
  // Network failures and 5xx: say which, never echo the body (it may hold anything).
  const networkCode = thrown instanceof Error && /\b(E[A-Z]{3,})\b/.exec(thrown.message)?.[1];
  return new TokenEndpointUnavailableError(status ? `HTTP ${status}` : (networkCode || 'no answer'), status);
}

/**
 * intuit-oauth behind a small typed surface. Two of its traits shape this class:
 * - one OAuthClient holds one token in memory, so a new client is made for every call and never shared;
 * - its endpoints are class-level statics (setAuthorizeURLs is process-wide), so they are set immediately
 *   before each call, in the same synchronous step in which intuit-oauth reads them.
 */
export class IntuitOAuthGateway implements OAuthGateway {
  constructor(private readonly deps: IntuitOAuthGatewayDeps) {}

  private newClient(): OAuthClient {
    const client = new OAuthClient({
      environment: this.deps.environment,
      clientId: this.deps.clientId,
      clientSecret: this.deps.clientSecret,
      redirectUri: this.deps.redirectUri,
      includeRefreshTokenHardExpiresIn: true,
      logging: false,
    });
    // intuit-oauth sets no timeout of its own and retries up to three times: bound the whole call, retries
    // included, so a hung Intuit never holds a lock, a pool connection or an admin's request for long.
    const timeoutMs = this.timeoutMs;
    const load = client.loadResponse.bind(client) as (request: IntuitRequest) => Promise<unknown>;
    const signal = AbortSignal.timeout(timeoutMs);
    client.loadResponse = (request: IntuitRequest) => load({ ...request, timeout: timeoutMs, signal });
    client.setAuthorizeURLs({
      authorizeEndpoint: this.deps.endpoints.authorizeUrl,
      tokenEndpoint: this.deps.endpoints.tokenUrl,
      revokeEndpoint: this.deps.endpoints.revokeUrl,
      userInfoEndpoint:
        this.deps.environment === 'sandbox' ? OAuthClient.userinfo_endpoint_sandbox : OAuthClient.userinfo_endpoint_production,
    });
    return client;
  }

  private get timeoutMs(): number {
    return this.deps.requestTimeoutMs ?? DEFAULT_INTUIT_REQUEST_TIMEOUT_MS;
  }

  authorizeUrl(state: string): string {
    return this.newClient().authorizeUri({ scope: [ACCOUNTING_SCOPE], state });
  }

  async exchangeCode(code: string, realmId: string): Promise<TokenSet> {
    // createToken parses the query of the URL it is given; the redirect_uri it sends is the configured one.
    const query = new URLSearchParams({ code, realmId }).toString();
    return this.tokenCall((client) => {
      // An authorization code works once: intuit-oauth's own retries (after a 5xx, 429 or lost connection)
      // could only burn the admin's time and end in invalid_grant. The admin is told to try again instead.
      client.shouldRetry = () => false;
      return client.createToken(`?${query}`);
    });
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.tokenCall((client) => {
      // A refresh whose answer was lost may have rotated the token already: no blind resend with the old one.
      client.shouldRetry = () => false;
      return client.refreshUsingToken(refreshToken);
    });
  }

  async revoke(token: string): Promise<void> {
    const client = this.newClient();
    try {
      await client.revoke({ refresh_token: token });
    } catch (thrown) {
      throw toSafeError(thrown, this.timeoutMs);
    }
  }

  private async tokenCall(call: (client: OAuthClient) => ReturnType<OAuthClient['createToken']>): Promise<TokenSet> {
    const client = this.newClient();
    let body: unknown;
    try {
      const response = await call(client);
      body = response.getJson() as unknown;
    } catch (thrown) {
      throw toSafeError(thrown, this.timeoutMs);
    }
    const tokens = parseTokenResponse(body, this.deps.clock());
    if (!tokens) throw new TokenEndpointUnavailableError('the answer held no token pair', null);
    return tokens;
  }
}
