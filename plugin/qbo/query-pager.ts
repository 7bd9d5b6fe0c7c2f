import { z } from 'zod';
import { MAX_PAGE_SIZE, type QboQuery } from './query';

/** What paging needs from the http client. */
export interface QueryRunner {
  query(realmId: string, statement: string): Promise<{ body: Record<string, unknown> }>;
}

const queryResponseSchema = z.looseObject({
  QueryResponse: z.looseObject({
    startPosition: z.number().optional(),
    maxResults: z.number().optional(),
    totalCount: z.number().optional(),
  }),
});

/**
 * The rows of one QueryResponse. The list is named after the entity as QBO spells it ("Vendor" even when
 * the query said "vendor"); an empty result is `{"QueryResponse":{}}`.
 */
export function rowsOfQueryResponse(body: unknown): unknown[] {
  const parsed = queryResponseSchema.parse(body);
  for (const [key, value] of Object.entries(parsed.QueryResponse)) {
    if (key !== 'startPosition' && key !== 'maxResults' && key !== 'totalCount' && Array.isArray(value)) return value as unknown[];
  }
  return [];
}

/** `SELECT COUNT(*)` answers with totalCount only. */
export function totalCountOf(body: unknown): number {
  const count = queryResponseSchema.parse(body).QueryResponse.totalCount;
  return count ?? 0;
}

/**
 * Every row of a query, page by page in a stable order: ORDERBY (Id unless the query has one), STARTPOSITION
 * 1, 1001, 2001…, MAXRESULTS 1000, until a page comes back short. Rows are yielded as QBO sent them.
 */
export async function* pageThrough(runner: QueryRunner, realmId: string, query: QboQuery, pageSize: number = MAX_PAGE_SIZE): AsyncGenerator<unknown, void, void> {
  const ordered = query.order ? query : query.orderBy('Id');
  for (let start = 1; ; start += pageSize) {
    const statement = ordered.limit(pageSize).from(start).toString();
    const { body } = await runner.query(realmId, statement);
    const rows = rowsOfQueryResponse(body);
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
  }
}
