import type { Knex } from 'knex';

/**
 * PostgreSQL `date` columns read as text: node-pg would turn them into JS Dates at local midnight, which
 * shifts the day in some time zones.
 */
export function dateAsText(knex: Knex, column: string): Knex.Raw {
  return knex.raw(`to_char(??, 'YYYY-MM-DD') as ??`, [column, column.split('.').pop() ?? column]);
}
