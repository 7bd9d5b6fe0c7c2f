import type { WorkClient, WorkSite } from '../../host/work-records';
import type { QboCustomer } from '../../qbo/entities/customer';
import type { EngineDeps } from '../engine/engine-deps';
import { readAllCustomers, readTakenNames } from '../engine/qbo-reader';
import { readAllClients, readAllSites } from '../engine/work-reader';
import type { MappingRef, MappingSettings, OnboardingInput } from '../plan/types';

export interface OnboardingData {
  input: OnboardingInput;
  /** Sandbox/QBO-independent instant taken BEFORE the scan: the CDC bookmark once the run succeeds. */
  bookmark: string;
  clientsById: Map<string, WorkClient>;
  sitesById: Map<string, WorkSite>;
  customersById: Map<string, QboCustomer>;
  settings: MappingSettings;
}

/**
 * Read both sides for planning. Reads only: no write to Work, QBO or the plugin's tables. The bookmark is
 * taken before the customer scan, so a change made during the scan is pulled again by the next CDC.
 */
export async function readOnboardingData(deps: EngineDeps, accountId: string, realmId: string, options: { sites?: boolean } = {}): Promise<OnboardingData> {
  const bookmark = deps.clock().toISOString();
  const qboCustomers = await readAllCustomers(deps.qbo, realmId);
  const takenNames = await readTakenNames(deps.qbo, realmId);
  const workClients = await readAllClients(deps.work, accountId);
  // Planning clients alone (continuous sync) needs no Work sites: they only feed the sites layer.
  const workSites = options.sites === false ? [] : await readAllSites(deps.work, accountId);
  const settings = await deps.settings.mappingSettings(accountId);
  const existingMappings: MappingRef[] = [];
  for (const entity of ['client', 'site'] as const) {
    for (const m of await deps.mappings.listForAccount(accountId, entity)) existingMappings.push({ entity, workId: m.work_id, qboId: m.qbo_id });
  }
  return {
    input: { workClients, workSites, qboCustomers, takenNames, existingMappings, settings },
    bookmark,
    clientsById: new Map(workClients.map((c) => [c.id, c])),
    sitesById: new Map(workSites.map((s) => [s.id, s])),
    customersById: new Map(qboCustomers.map((c) => [c.Id, c])),
    settings,
  };
}
