/**
 * Keeps the sandbox's companies, their data and the grants/tokens of live connections in one JSON file, so
 * `npm start` can be restarted without Work showing "Connected" to a company that no longer exists.
 * A file rather than a PostgreSQL schema: the sandbox stays a stand-alone process (`npm run sandbox` has no
 * database), the state is one human-readable document, and resetting it is deleting it.
 * Writes are debounced and atomic (a temporary file renamed over the old one), so a crash mid-write leaves
 * the previous state intact. The file holds live tokens: it is created readable by its owner only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RegistrySnapshot } from '../oauth/oauth-registry';
import type { StoreSnapshot } from './sandbox-store';

/** `.data/qbo-sandbox.json` at the repository root, beside the embedded PostgreSQL's data. */
export const DEFAULT_STATE_FILE = path.resolve(__dirname, '..', '..', '..', '.data', 'qbo-sandbox.json');

export const STATE_VERSION = 1;
const SAVE_DELAY_MS = 250;

export interface SandboxState {
  version: typeof STATE_VERSION;
  savedAt: string;
  /** The sandbox clock when saved; a restart never moves it backwards (tests and demos may have advanced it). */
  clockMs: number;
  defaultRealmId: string;
  store: StoreSnapshot;
  registry: RegistrySnapshot;
}

const country = z.enum(['US', 'CA', 'GB']);
const entity = z.enum(['Customer', 'Vendor', 'Employee', 'Item', 'Invoice', 'Payment', 'Account', 'PaymentMethod', 'TaxCode', 'Term', 'CompanyInfo', 'Preferences']);
const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  savedAt: z.string(),
  clockMs: z.number().finite(),
  defaultRealmId: z.string(),
  store: z.object({
    realms: z.array(z.object({
      summary: z.object({ realmId: z.string().regex(/^\d+$/), companyName: z.string(), country, offeringSku: z.string(), customTxnNumbers: z.boolean() }),
      nextIds: z.record(z.string(), z.number().int()),
      records: z.array(z.object({
        entity,
        id: z.string(),
        object: z.record(z.string(), z.unknown()),
        deleted: z.boolean(),
        voided: z.boolean(),
        deposited: z.boolean(),
        changedAtMs: z.number(),
      })),
    })),
  }),
  registry: z.object({
    grants: z.array(z.tuple([z.string(), z.object({ clientId: z.string(), realmId: z.string(), hardExpiresAtMs: z.number(), revoked: z.boolean() })])),
    accessTokens: z.array(z.tuple([z.string(), z.object({ grantId: z.string(), expiresAtMs: z.number() })])),
    refreshTokens: z.array(z.tuple([z.string(), z.object({ grantId: z.string(), expiresAtMs: z.number(), supersededAtMs: z.number().nullable() })])),
  }),
});

/** The saved state, or null when there is none yet. A file that cannot be read is an error, never silently replaced. */
export function readState(file: string): SandboxState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const resetHint = `Delete it to start afresh (npm run sandbox:reset, or QBO_SANDBOX_RESET=1 npm start).`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The QBO sandbox state file ${file} is not valid JSON. ${resetHint}`);
  }
  const checked = stateSchema.safeParse(parsed);
  if (!checked.success) throw new Error(`The QBO sandbox state file ${file} is not a state this sandbox can read (${checked.error.issues[0]?.message ?? 'invalid'} at ${checked.error.issues[0]?.path.join('.') ?? '?'}). ${resetHint}`);
  return checked.data as SandboxState;
}

export function removeState(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function writeAtomically(file: string, state: SandboxState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * Saves the state a short while after a change, and at once on flush (when the sandbox closes). A large
 * state waits longer between saves (ten times the last save's duration), so a long sync into a big company
 * is not spent serialising it.
 */
export class StateWriter {
  private timer: NodeJS.Timeout | null = null;
  private delayMs = SAVE_DELAY_MS;

  constructor(
    private readonly file: string,
    private readonly current: () => SandboxState,
    private readonly onError: (error: unknown) => void = (error) => console.error('QBO sandbox: could not save its state:', error),
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.save();
  }

  private save(): void {
    const started = Date.now();
    try {
      writeAtomically(this.file, this.current());
      this.delayMs = Math.max(SAVE_DELAY_MS, (Date.now() - started) * 10);
    } catch (error) {
      this.onError(error);
    }
  }
}
