import type { Knex } from 'knex';

/** Run fn in the caller's transaction when there is one, else in a new one. */
export async function inTransaction<T>(
  knex: Knex,
  trx: Knex.Transaction | undefined,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  if (trx) return fn(trx);
  return knex.transaction(fn);
}
