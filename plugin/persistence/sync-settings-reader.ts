import type { Knex } from 'knex';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from '../sync/plan/types';

interface SettingsRow {
  default_state: string | null;
  default_country: string | null;
  fill_site_from_client: boolean;
}

/** Reads the mapping settings of qbo_settings (the settings page writes them); defaults when no row yet. */
export class SyncSettingsReader {
  constructor(private readonly knex: Knex) {}

  async mappingSettings(accountId: string): Promise<MappingSettings> {
    const row = await this.knex<SettingsRow & { account_id: string }>('qbo_settings')
      .where({ account_id: accountId })
      .first('default_state', 'default_country', 'fill_site_from_client');
    if (!row) return DEFAULT_MAPPING_SETTINGS;
    return { defaultState: row.default_state, defaultCountry: row.default_country, fillSiteFromClient: row.fill_site_from_client };
  }
}
