import type { OutboxRepository } from '../persistence/outbox-repository';
import type { LifecycleEvent, LifecycleListener } from './work-host';

export interface LifecycleTranslatorDeps {
  outbox: OutboxRepository;
}

/**
 * Turns Work's model events into outbox rows, inside the host's transaction. It never calls QuickBooks:
 * a save that commits is never lost, and a save that rolls back queues nothing.
 */
export function createLifecycleTranslator(deps: LifecycleTranslatorDeps): LifecycleListener {
  return async (event: LifecycleEvent): Promise<void> => {
    await deps.outbox.enqueue(
      { accountId: event.accountId, entity: event.entity, recordId: event.recordId, action: event.action },
      event.trx,
    );
  };
}
