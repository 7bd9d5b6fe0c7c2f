import { parseQuery } from '../query/query-parser';
import { runQuery, validateQuery } from '../query/query-evaluator';
import { isHiddenFromBatch, type ApiContext } from './api-context';

/** The QueryResponse for one statement (4000 when unparsable, 4001 when it names what QBO does not know). */
export function executeQuery(ctx: ApiContext, statement: string): Record<string, unknown> {
  const query = validateQuery(parseQuery(statement));
  const entity = query.entityName.entity;
  const visible = ctx.store.records(ctx.realmId, entity).filter((r) => !isHiddenFromBatch(ctx, entity, r.id));
  return runQuery(query, visible);
}
