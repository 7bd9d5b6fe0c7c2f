import type { LifecycleEvent, LifecycleListener } from '../../plugin/host/work-host';

/**
 * Work's model lifecycle events. Listeners run one after another inside the saving transaction; a listener
 * that throws rolls the save back, exactly as a failing model hook does in the real monolith.
 */
export class LifecycleBus {
  private readonly listeners = new Set<LifecycleListener>();

  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async emit(event: LifecycleEvent): Promise<void> {
    for (const listener of this.listeners) {
      await listener(event);
    }
  }
}
