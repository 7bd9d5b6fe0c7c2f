/**
 * GET /cdc: what changed since a time, per entity, at most 1000 objects each; deleted objects come back
 * as {status:"Deleted"}. QBO only keeps 30 days of changes: older changedSince values are refused here
 * (unverified; the stricter choice, so clients fall back to a full scan).
 */
import { faults } from '../faults';
import { formatQboTime, parseQboTime } from '../store/qbo-time';
import { entityInfo } from '../query/entity-catalog';
import type { EntityName } from '../contracts';
import type { ApiContext } from './api-context';

export const CDC_MAX_PER_ENTITY = 1000;

/**
 * The modelled entities Intuit lists for change data capture. TaxCode, CompanyInfo and Preferences are not
 * on Intuit's list; entities the sandbox does not model (Estimate, Bill, …) are refused too.
 */
const CDC_ENTITIES: ReadonlySet<EntityName> = new Set(['Customer', 'Vendor', 'Employee', 'Item', 'Account', 'PaymentMethod', 'Term', 'Invoice', 'Payment']);
export const CDC_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export function runCdc(ctx: ApiContext, entities: string | undefined, changedSince: string | undefined): Record<string, unknown> {
  if (entities === undefined || entities.trim() === '') throw faults.cdcEntitiesRequired();
  if (changedSince === undefined || changedSince.trim() === '') throw faults.requiredMissing('changedSince');
  const since = parseQboTime(changedSince.trim());
  if (since === null) throw faults.business(`changedSince is not a valid date-time: ${changedSince}`, 'changedSince');
  if (ctx.clock.nowMs() - since > CDC_WINDOW_MS) throw faults.business('changedSince must be within the last 30 days', 'changedSince');
  const names = entities.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const infos = names.map((name) => {
    const info = entityInfo(name);
    if (!info || !CDC_ENTITIES.has(info.entity)) throw faults.cdcEntityNotSupported(name);
    return info;
  });
  const responses = infos.map((info) => {
    const changed = ctx.store
      .records(ctx.realmId, info.entity)
      .filter((r) => r.changedAtMs >= since)
      .sort((a, b) => a.changedAtMs - b.changedAtMs)
      .slice(0, CDC_MAX_PER_ENTITY)
      .map((r) =>
        r.deleted
          ? { domain: 'QBO', status: 'Deleted', Id: r.id, MetaData: { LastUpdatedTime: formatQboTime(new Date(r.changedAtMs)) } }
          : structuredClone(r.object),
      );
    return changed.length === 0 ? {} : { [info.entity]: changed, startPosition: 1, maxResults: changed.length };
  });
  return { CDCResponse: [{ QueryResponse: responses }] };
}
