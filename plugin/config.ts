import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { QBO_API_BASE_URLS } from './qbo/endpoints';

/** Where the settings pages live inside the host's app. */
export const DEFAULT_MOUNT_PATH = '/settings/integrations/quickbooks';

/** Intuit's own hosts. Only the API host differs between sandbox and production companies. */
export const INTUIT_ENDPOINTS = {
  authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
  tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  apiBaseUrl: QBO_API_BASE_URLS,
} as const;

const AES_256_KEY_BYTES = 32;

/** A key is 32 random bytes written in base64. The message never repeats the value. */
const encryptionKey = z
  .string({ error: 'must be a base64 string' })
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === AES_256_KEY_BYTES, {
    error: `must be ${AES_256_KEY_BYTES} random bytes written in base64 (e.g. \`openssl rand -base64 32\`)`,
  });

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? `is required: ${what}` : `must be ${what}`),
});

const optionsSchema = z
  .object({
    mountPath: z.string().startsWith('/').default(DEFAULT_MOUNT_PATH),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    environment: z.enum(['sandbox', 'production']).default('sandbox'),
    clientId: z.string(required('the Intuit app client id')).min(1, 'must not be empty'),
    clientSecret: z.string(required('the Intuit app client secret')).min(1, 'must not be empty'),
    redirectUri: z.url(required('the absolute URL of the plugin callback (…/quickbooks/callback)')),
    authorizeUrl: z.url().optional(),
    tokenUrl: z.url().optional(),
    revokeUrl: z.url().optional(),
    apiBaseUrl: z.url().optional(),
    /** keyId → base64 key. Several keys let rows written under an older key still be read after rotation. */
    tokenEncryptionKeys: z.record(
      z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'key ids are 1-32 letters, digits, "_" or "-"'),
      encryptionKey,
      required('a map of key id to a 32-byte base64 AES-256 key, used to encrypt QuickBooks tokens at rest'),
    ),
    tokenEncryptionKeyId: z.string(required('the id (in tokenEncryptionKeys) of the key that encrypts new tokens')),
    /** Refresh an access token this long before it expires, so no call runs with an about-to-expire token. */
    refreshAheadSeconds: z.number().int().min(30).max(1800).default(300),
    /** Warn the admin when the refresh token's 5-year hard limit is this close. */
    hardExpiryWarningDays: z.number().int().min(1).max(365).default(30),
    /** Refresh connections nobody used for this long, so the 100-day rolling refresh token never lapses. */
    keepAliveIdleDays: z.number().int().min(1).max(60).default(7),
    keepAliveCron: z.string().refine((v) => isValidCron(v), 'must be a cron expression').default('23 3 * * *'),
    oauthStateTtlSeconds: z.number().int().min(60).max(3600).default(600),
    /** Intuit's webhook verifier token (developer portal → Webhooks). Without it the webhook endpoint answers 503. */
    webhookVerifierToken: z.string().min(1, 'must not be empty').optional(),
    /** Webhook events for one company within this window become one CDC pull. */
    webhookDebounceSeconds: z.number().int().min(0).max(3600).default(30),
    /** Bearer token for the operators' health route (GET <mountPath>/ops/health); without it the route is off (404). */
    opsToken: z.string().min(24, 'must be at least 24 characters (e.g. `openssl rand -base64 32`)').optional(),
    /** Done queue rows, old log entries, runs, finished write intents and webhook events older than this are deleted. */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    retentionCron: z.string().refine((v) => isValidCron(v), 'must be a cron expression').default('41 2 * * *'),
    /** Run the sync's schedules (outbox drain, nightly sync, webhook pulls) in this process; false on web-only processes. */
    syncJobs: z.boolean().default(true),
    /** How often the outbox is drained (node-cron with seconds): a save reaches QuickBooks within seconds. */
    drainCron: z.string().refine((v) => isValidCron(v), 'must be a cron expression').default('*/2 * * * * *'),
    /** How often due webhook pulls are claimed, and how often the nightly sync looks for accounts whose local time has come. */
    pullCron: z.string().refine((v) => isValidCron(v), 'must be a cron expression').default('*/5 * * * * *'),
    nightlyCron: z.string().refine((v) => isValidCron(v), 'must be a cron expression').default('17 * * * * *'),
    /** Accounts' nightly runs are spread over this many minutes after their time (the same offset every night). */
    nightlyJitterMinutes: z.number().int().min(0).max(180).default(30),
    /** A nightly run missed while no worker ran (a deploy, an outage) is still made up this long after its time. */
    nightlyCatchUpHours: z.number().int().min(0).max(23).default(6),
    /** stop() lets a run in hand finish this long, then ends QuickBooks calls and hands its records back. */
    stopGraceSeconds: z.number().int().min(0).max(600).default(20),
  })
  .superRefine((o, ctx) => {
    if (Object.keys(o.tokenEncryptionKeys).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tokenEncryptionKeys'], message: 'must hold at least one key' });
    } else if (!Object.hasOwn(o.tokenEncryptionKeys, o.tokenEncryptionKeyId)) {
      ctx.addIssue({ code: 'custom', path: ['tokenEncryptionKeyId'], message: 'names no key in tokenEncryptionKeys' });
    }
  });

export type PluginOptions = z.input<typeof optionsSchema>;

export interface IntuitEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  apiBaseUrl: string;
}

export type PluginConfig = Readonly<
  Omit<z.output<typeof optionsSchema>, 'authorizeUrl' | 'tokenUrl' | 'revokeUrl' | 'apiBaseUrl'> & {
    endpoints: Readonly<IntuitEndpoints>;
  }
>;

/**
 * Validate the host's options once, at registration, and freeze the result. Errors name the option and
 * the rule, never the value given, so a secret cannot leak through a start-up error.
 */
export function loadConfig(options: unknown): PluginConfig {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'} ${i.message}`);
    throw new Error(`QuickBooks plugin cannot start, its options are invalid: ${problems.join('; ')}`);
  }
  const { authorizeUrl, tokenUrl, revokeUrl, apiBaseUrl, ...rest } = parsed.data;
  const endpoints: IntuitEndpoints = {
    authorizeUrl: authorizeUrl ?? INTUIT_ENDPOINTS.authorizeUrl,
    tokenUrl: tokenUrl ?? INTUIT_ENDPOINTS.tokenUrl,
    revokeUrl: revokeUrl ?? INTUIT_ENDPOINTS.revokeUrl,
    apiBaseUrl: (apiBaseUrl ?? INTUIT_ENDPOINTS.apiBaseUrl[rest.environment]).replace(/\/+$/, ''),
  };
  return Object.freeze({ ...rest, endpoints: Object.freeze(endpoints) });
}
