/**
 * Removes anything token-like from text that came back from QuickBooks before it becomes an error message
 * or a log field. QBO echoes parts of credentials in some faults (OAuth1 SignatureBaseString with
 * oauth_token, "Token expired: …"), and a JWT-shaped access token must never reach a log.
 */
const REDACTED = '[redacted]';

const TOKEN_PATTERNS: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)*/g, // JWT / JWE (Intuit access tokens)
  /(Bearer\s+)[^\s"',;]+/gi,
  /(oauth_token(?:%3D|=))[^%&\s]+/gi,
  /((?:access|refresh)_token["']?\s*[:=]\s*["']?)[^"'&\s,]+/gi,
  /(Token expired:\s*)[^\s"',;]+/gi,
];

export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Very short strings would redact ordinary words; real tokens are long.
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (_match: string, prefix: unknown) =>
      typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}
