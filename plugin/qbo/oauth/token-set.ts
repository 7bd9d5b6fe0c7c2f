import { z } from 'zod';

/** A token pair as Intuit issued it, with lifetimes turned into absolute times at the moment of receipt. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  /** The 5-year absolute limit, when Intuit sent it (x_refresh_token_hard_expires_in). */
  refreshTokenHardExpiresAt: Date | null;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  x_refresh_token_expires_in: z.coerce.number().positive(),
  x_refresh_token_hard_expires_in: z.coerce.number().positive().optional(),
});

/** Parse a token endpoint body. Returns null when it is not a token pair (the caller reports that). */
export function parseTokenResponse(body: unknown, receivedAt: Date): TokenSet | null {
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) return null;
  const at = (seconds: number) => new Date(receivedAt.getTime() + seconds * 1000);
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    accessTokenExpiresAt: at(t.expires_in),
    refreshTokenExpiresAt: at(t.x_refresh_token_expires_in),
    refreshTokenHardExpiresAt: t.x_refresh_token_hard_expires_in === undefined ? null : at(t.x_refresh_token_hard_expires_in),
  };
}
