import { z } from 'zod';
import { parseEntity, type EntityClient } from './entity-api';
import { entityBase } from './schemas';

export const companyInfoSchema = z.looseObject({
  ...entityBase,
  CompanyName: z.string(),
  LegalName: z.string().optional(),
  Country: z.string().optional(),
  NameValue: z.array(z.looseObject({ Name: z.string(), Value: z.unknown() })).optional(),
});
export type QboCompanyInfo = z.infer<typeof companyInfoSchema>;

/** GET /companyinfo/{realmId}. */
export async function readCompanyInfo(client: EntityClient, realmId: string): Promise<QboCompanyInfo> {
  const response = await client.get(realmId, ['companyinfo', realmId]);
  return parseEntity(companyInfoSchema, response.body['CompanyInfo'], 'CompanyInfo', response);
}

function nameValue(info: QboCompanyInfo, name: string): string | null {
  const value = info.NameValue?.find((nv) => nv.Name === name)?.Value;
  return typeof value === 'string' ? value : null;
}

/** "QuickBooks Online Plus" etc.; null when QBO does not say. */
export function offeringSku(info: QboCompanyInfo): string | null {
  return nameValue(info, 'OfferingSku');
}

export function subscriptionStatus(info: QboCompanyInfo): string | null {
  return nameValue(info, 'SubscriptionStatus');
}
