import type { z } from 'zod';
import { fieldErrors } from './fields';

/** What a form parse gives a route: the typed value, or the messages to show beside the fields. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(typeof body === 'object' && body !== null ? body : {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

/** The values as typed, to put back into the form when it is shown again. */
export function enteredText(body: unknown, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const source = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const name of names) {
    const v = source[name];
    values[name] = typeof v === 'string' ? v : '';
  }
  return values;
}
