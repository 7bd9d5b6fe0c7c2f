import type { TokenSet } from './token-set';

/** Intuit's OAuth 2.0 operations the plugin uses. Implemented over intuit-oauth; faked in unit tests. */
export interface OAuthGateway {
  /** The URL to send the admin's browser to, carrying our single-use state. */
  authorizeUrl(state: string): string;
  exchangeCode(code: string, realmId: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Revoking either token revokes the whole grant. */
  revoke(token: string): Promise<void>;
}

/** The only scope the plugin asks for. */
export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';
