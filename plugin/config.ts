import { z } from 'zod';

/** Where the settings pages live inside the host's app. */
export const DEFAULT_MOUNT_PATH = '/settings/integrations/quickbooks';

const optionsSchema = z.object({
  mountPath: z.string().startsWith('/').default(DEFAULT_MOUNT_PATH),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type PluginOptions = z.input<typeof optionsSchema>;
export type PluginConfig = Readonly<z.output<typeof optionsSchema>>;

/** Validate the host's options once, at registration, and freeze the result. */
export function loadConfig(options: PluginOptions): PluginConfig {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
    throw new Error(`QuickBooks plugin options are invalid: ${problems.join('; ')}`);
  }
  return Object.freeze(parsed.data);
}
