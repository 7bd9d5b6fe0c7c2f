/**
 * Every call that reached the token endpoint (by grant type) or the revoke endpoint, and how it ended. Tests
 * count refreshes with it ("eight workers, exactly one refresh"). Like the API request log it never holds a
 * token, a code or a credential: only the grant type, the status and Intuit's error code.
 */
import type { SandboxClock } from '../clock';

export type OAuthEndpoint = 'token' | 'revoke';

export interface OAuthCallEntry {
  seq: number;
  at: string;
  endpoint: OAuthEndpoint;
  /** The token request's grant_type (null when absent); always null for revoke. */
  grantType: string | null;
  status: number;
  /** The OAuth error answered (invalid_grant, invalid_client...), null on success. */
  error: string | null;
}

/** Calls per kind: the token endpoint's grant types, plus `revoke`. */
export interface OAuthCallCounts {
  authorization_code: number;
  refresh_token: number;
  revoke: number;
  /** Token requests with another or no grant_type. */
  other: number;
}

export class OAuthCallLog {
  private entries: OAuthCallEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly clock: SandboxClock) {}

  add(call: Omit<OAuthCallEntry, 'seq' | 'at'>): void {
    this.entries.push({ seq: this.nextSeq++, at: this.clock.now().toISOString(), ...call });
  }

  list(): OAuthCallEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  counts(): OAuthCallCounts {
    const counts: OAuthCallCounts = { authorization_code: 0, refresh_token: 0, revoke: 0, other: 0 };
    for (const entry of this.entries) {
      if (entry.endpoint === 'revoke') counts.revoke += 1;
      else if (entry.grantType === 'authorization_code' || entry.grantType === 'refresh_token') counts[entry.grantType] += 1;
      else counts.other += 1;
    }
    return counts;
  }

  clear(): void {
    this.entries = [];
  }
}
