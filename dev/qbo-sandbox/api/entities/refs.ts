import type { EntityName, QboObject } from '../../contracts';
import { faults } from '../../faults';
import { isHiddenFromBatch, type ApiContext } from '../api-context';

/**
 * A referenced record that must exist (2500 otherwise) and be usable: inactive or deleted gives 610, as in
 * the recorded batch fault.
 */
export function activeRef(ctx: ApiContext, entity: EntityName, id: string, element: string): QboObject {
  const record = ctx.store.get(ctx.realmId, entity, id);
  if (!record || isHiddenFromBatch(ctx, entity, id)) throw faults.invalidReference(entity, element, id);
  if (record.deleted || record.object['Active'] === false) throw faults.objectNotFound();
  return record.object;
}

export function refWithName(id: string, name: unknown): { value: string; name?: string } {
  return typeof name === 'string' ? { value: id, name } : { value: id };
}
