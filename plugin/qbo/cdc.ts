import { z } from 'zod';
import { QboUnexpectedResponseError } from './errors';
import type { QueryParams } from './http-client';

/**
 * Change data capture (GET /cdc?entities=…&changedSince=…), per Intuit's CDC documentation: changes of the
 * last 30 days only, at most 1000 objects per entity per call, deleted objects included with
 * status "Deleted". The answer's `time` becomes the next bookmark.
 *
 * CDC has a start (changedSince) but no end, so a window that hit the 1000 cap can only be narrowed from
 * the start: we move changedSince forward (halving the window) until the entity answers under the cap.
 * That gives every change from the narrowed start on; changes between the bookmark and that start may be
 * missing, which the result says (complete: false) so the caller can scan that entity in full.
 */
export const CDC_MAX_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
export const CDC_MAX_OBJECTS_PER_ENTITY = 1000;
/** Re-read a little before the bookmark: QBO stamps changes with its own clock and commit order. */
export const CDC_BOOKMARK_OVERLAP_MS = 60_000;
/** Halvings tried for an entity over the cap before giving up on CDC for it. */
export const CDC_MAX_NARROWING_STEPS = 8;

export interface CdcReader {
  get(realmId: string, segments: readonly string[], query?: QueryParams): Promise<{ body: Record<string, unknown> }>;
}

export interface CdcEntityChanges {
  /** Changed and deleted objects as QBO sent them (deleted ones carry status "Deleted"). */
  objects: unknown[];
  /** True when every change since the bookmark is in `objects`. */
  complete: boolean;
  /** Changes from this instant on are all in `objects` (the bookmark when complete). */
  completeSince: Date;
}

export type CdcResult =
  | { kind: 'full-scan-required'; reason: 'no-bookmark' | 'bookmark-too-old' }
  | { kind: 'changes'; entities: Map<string, CdcEntityChanges>; nextBookmark: string };

const ENTITY = /^[A-Z][A-Za-z]{0,63}$/;

const cdcBodySchema = z.looseObject({
  CDCResponse: z.array(z.looseObject({ QueryResponse: z.array(z.record(z.string(), z.unknown())).optional() })),
  time: z.string(),
});

/** changedSince as QBO writes times (offset form), floored to the second so it never starts late. */
export function formatChangedSince(at: Date): string {
  return `${new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', '')}+00:00`;
}

/** Objects per entity in one CDC answer, keyed by the entity name as QBO spells it. */
export function objectsOfCdcResponse(body: unknown): { byEntity: Map<string, unknown[]>; time: string } {
  const parsed = cdcBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new QboUnexpectedResponseError({ code: 'BAD_CDC_RESPONSE', message: 'QuickBooks answered CDC without CDCResponse and time' });
  }
  const byEntity = new Map<string, unknown[]>();
  for (const response of parsed.data.CDCResponse) {
    for (const queryResponse of response.QueryResponse ?? []) {
      for (const [key, value] of Object.entries(queryResponse)) {
        if (!Array.isArray(value)) continue;
        byEntity.set(key, [...(byEntity.get(key) ?? []), ...(value as unknown[])]);
      }
    }
  }
  return { byEntity, time: parsed.data.time };
}

function normalise(name: string): string {
  return name.toLowerCase();
}

function objectsFor(byEntity: Map<string, unknown[]>, entity: string): unknown[] {
  for (const [key, value] of byEntity) if (normalise(key) === normalise(entity)) return value;
  return [];
}

async function ask(reader: CdcReader, realmId: string, entities: readonly string[], since: Date) {
  const { body } = await reader.get(realmId, ['cdc'], { entities: entities.join(','), changedSince: formatChangedSince(since) });
  return objectsOfCdcResponse(body);
}

/**
 * Changes of `entities` since `bookmark` (the `time` of the previous CDC answer), or a request for a full
 * scan when there is no bookmark or it is older than CDC's 30 days.
 */
export async function fetchChanges(reader: CdcReader, realmId: string, entities: readonly string[], bookmark: string | null, now: Date = new Date()): Promise<CdcResult> {
  if (entities.length === 0) throw new Error('CDC needs at least one entity');
  for (const entity of entities) if (!ENTITY.test(entity)) throw new Error(`unsafe CDC entity name: ${JSON.stringify(entity)}`);
  if (bookmark === null) return { kind: 'full-scan-required', reason: 'no-bookmark' };
  const bookmarkMs = Date.parse(bookmark);
  if (Number.isNaN(bookmarkMs)) throw new Error(`CDC bookmark is not a time: ${JSON.stringify(bookmark)}`);
  const since = new Date(bookmarkMs - CDC_BOOKMARK_OVERLAP_MS);
  if (now.getTime() - since.getTime() >= CDC_MAX_LOOKBACK_MS) return { kind: 'full-scan-required', reason: 'bookmark-too-old' };

  const first = await ask(reader, realmId, entities, since);
  const answeredAt = Date.parse(first.time);
  const result = new Map<string, CdcEntityChanges>();
  for (const entity of entities) {
    const objects = objectsFor(first.byEntity, entity);
    result.set(
      entity,
      objects.length < CDC_MAX_OBJECTS_PER_ENTITY
        ? { objects, complete: true, completeSince: since }
        : await narrow(reader, realmId, entity, since, Number.isNaN(answeredAt) ? now.getTime() : answeredAt),
    );
  }
  // The first answer's time: every later, narrowed call covered at least up to it.
  return { kind: 'changes', entities: result, nextBookmark: first.time };
}

/** Moves changedSince forward, halving the window, until the entity answers under the cap. */
async function narrow(reader: CdcReader, realmId: string, entity: string, since: Date, end: number): Promise<CdcEntityChanges> {
  let start = since.getTime();
  for (let step = 0; step < CDC_MAX_NARROWING_STEPS; step += 1) {
    start += Math.floor((end - start) / 2);
    const answer = await ask(reader, realmId, [entity], new Date(start));
    const objects = objectsFor(answer.byEntity, entity);
    if (objects.length < CDC_MAX_OBJECTS_PER_ENTITY) return { objects, complete: false, completeSince: new Date(start) };
  }
  return { objects: [], complete: false, completeSince: new Date(end) };
}
