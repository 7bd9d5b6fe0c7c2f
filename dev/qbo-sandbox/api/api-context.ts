import type { SandboxClock } from '../clock';
import type { CompanySummary } from '../contracts';
import type { SandboxStore } from '../store/sandbox-store';

/** What every entity operation needs: the realm it runs in and the request's `include` options. */
export interface ApiContext {
  store: SandboxStore;
  clock: SandboxClock;
  realmId: string;
  company: CompanySummary;
  /** `include=` values (allowduplicatedocnum, void), from the query string or a batch item's optionsData. */
  include: ReadonlySet<string>;
  /**
   * Records created earlier in the same batch ("Entity:Id"): QBO runs batch items serially but an item
   * does not see what earlier items created, so references to them fail as if they did not exist.
   */
  createdInBatch?: Set<string>;
}

export function isHiddenFromBatch(ctx: ApiContext, entity: string, id: string): boolean {
  return ctx.createdInBatch?.has(`${entity}:${id}`) ?? false;
}
