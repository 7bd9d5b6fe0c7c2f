/**
 * Every OAuth grant the sandbox has given: authorization codes, access tokens and refresh tokens, all opaque
 * random strings bound to (client, realm, grant). All time decisions use the sandbox clock.
 *
 * Terms: a *grant* is one consent (one connection of one app to one realm); revoking any of its tokens
 * ends the whole grant. A refresh token is *superseded* once it has been used: it keeps working for a short
 * grace period (a lost response can be retried), then it is dead.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { OAuthCallLog } from './oauth-call-log';

/** Intuit: access tokens live one hour. */
export const ACCESS_TOKEN_LIFE_S = 3600;
/** Intuit: refresh tokens live 100 days, rolling (the token responses say 8726400 s). */
export const REFRESH_TOKEN_LIFE_S = 8_726_400;
/** Intuit since Nov 2025: a hard maximum life of 5 years per grant. */
export const REFRESH_TOKEN_HARD_LIFE_S = 5 * 365 * 24 * 3600;
/** Intuit documents no code life; real codes die within minutes. */
export const AUTHORIZATION_CODE_LIFE_MS = 10 * 60 * 1000;
/** How long a used refresh token still works. Unverified at Intuit ("dies soon after"): short by default. */
export const DEFAULT_REFRESH_GRACE_MS = 60 * 1000;

export interface Grant {
  clientId: string;
  realmId: string;
  hardExpiresAtMs: number;
  revoked: boolean;
}

interface AuthorizationCode {
  clientId: string;
  realmId: string;
  redirectUri: string;
  expiresAtMs: number;
  used: boolean;
}

export interface AccessTokenRecord {
  grantId: string;
  expiresAtMs: number;
}

export interface RefreshTokenRecord {
  grantId: string;
  expiresAtMs: number;
  supersededAtMs: number | null;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
  refreshExpiresInS: number;
  refreshHardExpiresInS: number;
}

export type GrantError = 'invalid_grant';

/** One secret the sandbox handed out, for tests that assert it never shows up where it must not. */
export interface IssuedSecret {
  kind: 'code' | 'access_token' | 'refresh_token';
  value: string;
  realmId: string;
}

export type AccessCheck =
  | { ok: true; realmId: string; clientId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * What keeps a connection working across a restart: grants and their live tokens. Authorization codes are
 * left out (they live minutes; one issued before a restart is refused as invalid_grant).
 */
export interface RegistrySnapshot {
  grants: Array<[string, Grant]>;
  accessTokens: Array<[string, AccessTokenRecord]>;
  refreshTokens: Array<[string, RefreshTokenRecord]>;
}

export class OAuthRegistry {
  private readonly grants = new Map<string, Grant>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Calls to the token and revoke endpoints (the token router records them). */
  readonly calls: OAuthCallLog;
  private changeListener: (() => void) | null = null;

  constructor(private readonly deps: { clock: SandboxClock; refreshGraceMs: number }) {
    this.calls = new OAuthCallLog(deps.clock);
  }

  /** Called after every change of a grant or token (a state file saves then, debounced). */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** Grants and tokens still of use: expired tokens and revoked grants are dropped. */
  snapshot(): RegistrySnapshot {
    const now = this.deps.clock.nowMs();
    const live = new Set([...this.grants].filter(([, grant]) => !grant.revoked && grant.hardExpiresAtMs > now).map(([id]) => id));
    return {
      grants: [...this.grants].filter(([id]) => live.has(id)).map(([id, grant]) => [id, { ...grant }]),
      accessTokens: [...this.accessTokens].filter(([, t]) => live.has(t.grantId) && t.expiresAtMs > now).map(([v, t]) => [v, { ...t }]),
      refreshTokens: [...this.refreshTokens].filter(([, t]) => live.has(t.grantId) && t.expiresAtMs > now).map(([v, t]) => [v, { ...t }]),
    };
  }

  restore(snapshot: RegistrySnapshot): void {
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    for (const [id, grant] of snapshot.grants) this.grants.set(id, { ...grant });
    for (const [value, token] of snapshot.accessTokens) this.accessTokens.set(value, { ...token });
    for (const [value, token] of snapshot.refreshTokens) this.refreshTokens.set(value, { ...token });
  }

  private changed(): void {
    this.changeListener?.();
  }

  issueCode(clientId: string, realmId: string, redirectUri: string): string {
    const code = `AB11${opaqueToken(24)}`;
    this.codes.set(code, {
      clientId,
      realmId,
      redirectUri,
      expiresAtMs: this.deps.clock.nowMs() + AUTHORIZATION_CODE_LIFE_MS,
      used: false,
    });
    return code;
  }

  /** Single use: a second exchange of the same code is invalid_grant, even by the same client. */
  exchangeCode(clientId: string, code: string, redirectUri: string): TokenPair | GrantError {
    const found = this.codes.get(code);
    if (!found || found.used) return 'invalid_grant';
    found.used = true;
    if (found.clientId !== clientId || found.redirectUri !== redirectUri) return 'invalid_grant';
    if (this.deps.clock.nowMs() >= found.expiresAtMs) return 'invalid_grant';
    const grantId = this.createGrant(clientId, found.realmId);
    return this.issuePair(grantId);
  }

  refresh(clientId: string, refreshToken: string): TokenPair | GrantError {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return 'invalid_grant';
    const grant = this.grants.get(record.grantId);
    const now = this.deps.clock.nowMs();
    if (!grant || grant.revoked || grant.clientId !== clientId) return 'invalid_grant';
    if (now >= record.expiresAtMs || now >= grant.hardExpiresAtMs) return 'invalid_grant';
    if (record.supersededAtMs !== null && now - record.supersededAtMs > this.deps.refreshGraceMs) return 'invalid_grant';
    for (const other of this.refreshTokens.values()) {
      if (other.grantId === record.grantId && other.supersededAtMs === null) other.supersededAtMs = now;
    }
    return this.issuePair(record.grantId);
  }

  /** Ends the grant behind an access or refresh token. Returns false when the client holds no such token. */
  revoke(clientId: string, token: string): boolean {
    const grantId = this.accessTokens.get(token)?.grantId ?? this.refreshTokens.get(token)?.grantId;
    const grant = grantId === undefined ? undefined : this.grants.get(grantId);
    if (!grant || grant.clientId !== clientId) return false;
    grant.revoked = true;
    this.changed();
    return true;
  }

  checkAccessToken(token: string): AccessCheck {
    const record = this.accessTokens.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    const grant = this.grants.get(record.grantId);
    if (!grant || grant.revoked) return { ok: false, reason: 'revoked' };
    if (this.deps.clock.nowMs() >= record.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, realmId: grant.realmId, clientId: grant.clientId };
  }

  /** Every code, access token and refresh token issued so far, dead or alive, with its realm. */
  issuedSecrets(): IssuedSecret[] {
    const realmOfGrant = (grantId: string) => this.grants.get(grantId)?.realmId ?? '';
    return [
      ...[...this.codes].map(([value, code]) => ({ kind: 'code' as const, value, realmId: code.realmId })),
      ...[...this.accessTokens].map(([value, token]) => ({ kind: 'access_token' as const, value, realmId: realmOfGrant(token.grantId) })),
      ...[...this.refreshTokens].map(([value, token]) => ({ kind: 'refresh_token' as const, value, realmId: realmOfGrant(token.grantId) })),
    ];
  }

  /** A grant without the consent dance, for tests and benchmarks. */
  grantDirectly(clientId: string, realmId: string): TokenPair {
    return this.issuePair(this.createGrant(clientId, realmId));
  }

  private createGrant(clientId: string, realmId: string): string {
    const id = randomUUID();
    this.grants.set(id, {
      clientId,
      realmId,
      hardExpiresAtMs: this.deps.clock.nowMs() + REFRESH_TOKEN_HARD_LIFE_S * 1000,
      revoked: false,
    });
    return id;
  }

  private issuePair(grantId: string): TokenPair {
    const grant = this.grants.get(grantId);
    if (!grant) throw new Error('unknown grant');
    const now = this.deps.clock.nowMs();
    const accessToken = `eyJ${opaqueToken(48)}`;
    const refreshToken = `RT1-${opaqueToken(32)}`;
    const refreshExpiresAtMs = Math.min(now + REFRESH_TOKEN_LIFE_S * 1000, grant.hardExpiresAtMs);
    this.accessTokens.set(accessToken, { grantId, expiresAtMs: now + ACCESS_TOKEN_LIFE_S * 1000 });
    this.refreshTokens.set(refreshToken, { grantId, expiresAtMs: refreshExpiresAtMs, supersededAtMs: null });
    this.changed();
    return {
      accessToken,
      refreshToken,
      expiresInS: ACCESS_TOKEN_LIFE_S,
      refreshExpiresInS: Math.floor((refreshExpiresAtMs - now) / 1000),
      refreshHardExpiresInS: Math.floor((grant.hardExpiresAtMs - now) / 1000),
    };
  }
}
