import { z } from 'zod';
import { parseEntity, type EntityClient } from './entity-api';
import { entityBase, refSchema } from './schemas';

export const preferencesSchema = z.looseObject({
  ...entityBase,
  SalesFormsPrefs: z.looseObject({ CustomTxnNumbers: z.boolean().optional() }).optional(),
  TaxPrefs: z.looseObject({ UsingSalesTax: z.boolean().optional(), PartnerTaxEnabled: z.boolean().optional() }).optional(),
  CurrencyPrefs: z.looseObject({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: refSchema.optional() }).optional(),
});
export type QboPreferences = z.infer<typeof preferencesSchema>;

/** GET /preferences. */
export async function readPreferences(client: EntityClient, realmId: string): Promise<QboPreferences> {
  const response = await client.get(realmId, ['preferences']);
  return parseEntity(preferencesSchema, response.body['Preferences'], 'Preferences', response);
}

/** The settings the sync depends on, with QBO's absent values as null. */
export function syncRelevantPreferences(prefs: QboPreferences) {
  return {
    customTxnNumbers: prefs.SalesFormsPrefs?.CustomTxnNumbers ?? null,
    usingSalesTax: prefs.TaxPrefs?.UsingSalesTax ?? null,
    partnerTaxEnabled: prefs.TaxPrefs?.PartnerTaxEnabled ?? null,
    multiCurrencyEnabled: prefs.CurrencyPrefs?.MultiCurrencyEnabled ?? null,
    homeCurrency: prefs.CurrencyPrefs?.HomeCurrency?.value ?? null,
  };
}
