import type { Knex } from 'knex';

/** A held lock: release it once; a process that dies releases it with its connection. */
export interface HeldLock {
  release(): Promise<void>;
  /** True once the lock's connection died (server restarted, backend terminated): PostgreSQL freed the lock. */
  lost(): boolean;
}

/** The pg client under a knex connection, as far as its life matters here. */
interface ConnectionEvents {
  on(event: 'error' | 'end', listener: () => void): unknown;
  removeListener(event: 'error' | 'end', listener: () => void): unknown;
}

const hasEvents = (connection: unknown): connection is ConnectionEvents =>
  typeof connection === 'object' && connection !== null && typeof (connection as Partial<ConnectionEvents>).on === 'function' && typeof (connection as Partial<ConnectionEvents>).removeListener === 'function';

/** Namespaces the 64-bit key so the plugin's locks never meet the host's own advisory locks. */
const NAMESPACE = 'qbo-sync-account:';

/**
 * One sync run per account across every process and machine: a session-level advisory lock taken on a
 * dedicated pooled connection that is held for the whole run (not a transaction: a run is long and
 * commits as it goes). PostgreSQL frees the lock when that connection ends, so a killed worker never
 * leaves its account locked.
 */
export class AccountLockRepository {
  constructor(private readonly knex: Knex) {}

  /** The lock, or null at once when another run holds it. */
  async tryLock(accountId: string): Promise<HeldLock | null> {
    const connection: unknown = await this.knex.client.acquireConnection();
    let held = false;
    try {
      const { rows } = await this.knex
        .raw<{ rows: { locked: boolean }[] }>(`SELECT pg_try_advisory_lock(hashtextextended(?, 0)) AS locked`, [NAMESPACE + accountId])
        .connection(connection);
      held = rows[0]?.locked === true;
    } finally {
      if (!held) await this.knex.client.releaseConnection(connection);
    }
    if (!held) return null;
    let released = false;
    let lost = false;
    const onLost = (): void => {
      lost = true;
    };
    if (hasEvents(connection)) {
      connection.on('error', onLost);
      connection.on('end', onLost);
    }
    return {
      lost: () => lost,
      release: async () => {
        if (released) return;
        released = true;
        try {
          await this.knex.raw(`SELECT pg_advisory_unlock(hashtextextended(?, 0))`, [NAMESPACE + accountId]).connection(connection);
        } catch (error) {
          // A dead connection took the lock with it: nothing to unlock, and the run's own outcome must not be
          // replaced by this error.
          if (!lost) throw error;
        } finally {
          if (hasEvents(connection)) {
            connection.removeListener('error', onLost);
            connection.removeListener('end', onLost);
          }
          await this.knex.client.releaseConnection(connection);
        }
      },
    };
  }
}
