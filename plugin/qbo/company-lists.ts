import { accounts, type QboAccount } from './entities/account';
import type { EntityClient } from './entities/entity-api';
import { taxCodes, type QboTaxCode } from './entities/tax-code';

/** The company's lists the settings page offers: its active accounts and (outside the US) its tax codes. */
export interface CompanyLists {
  accounts: QboAccount[];
  taxCodes: QboTaxCode[];
}

/**
 * Reads the chart of accounts and the tax codes through the plugin's HTTP client (limiter, retries, token
 * refresh). Inactive entries are left out: QuickBooks refuses them on new records.
 */
export class CompanyListReader {
  constructor(private readonly client: EntityClient) {}

  async read(realmId: string, options: { withTaxCodes: boolean }): Promise<CompanyLists> {
    const found: CompanyLists = { accounts: [], taxCodes: [] };
    for await (const account of accounts.queryAll(this.client, realmId, accounts.select())) {
      if (account.Active !== false) found.accounts.push(account);
    }
    if (options.withTaxCodes) {
      for await (const code of taxCodes.queryAll(this.client, realmId, taxCodes.select())) {
        if (code.Active !== false) found.taxCodes.push(code);
      }
    }
    return found;
  }
}
