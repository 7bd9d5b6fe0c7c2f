import type { Knex } from 'knex';
import type { LifecycleAction, WorkEntity } from '../../../plugin/host/work-host';
import type { LifecycleBus } from '../lifecycle-bus';

/** Fire one lifecycle event inside the saving transaction, as Work's model hooks do. */
export function emitLifecycle(
  bus: LifecycleBus,
  trx: Knex.Transaction,
  entity: WorkEntity,
  action: LifecycleAction,
  accountId: string,
  recordId: string,
): Promise<void> {
  return bus.emit({ entity, action, accountId, recordId, trx, occurredAt: new Date() });
}
