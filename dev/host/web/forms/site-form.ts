import { z } from 'zod';
import type { WorkSite } from '../../../../plugin/host/work-records';
import type { SiteInput } from '../../models/site-model';
import { ADDRESS_FIELD_NAMES, addressShape, addressText, toPostalAddress } from './address-fields';
import { checkbox, optionalEmail, optionalText, requiredText } from './fields';
import { enteredText, parseForm, type FormResult } from './form-result';

export const SITE_FIELD_NAMES = ['name', 'contactName', 'email', 'phone', ...ADDRESS_FIELD_NAMES] as const;

const siteSchema = z.object({
  name: requiredText('Site name', 255),
  contactName: optionalText('Contact name', 200),
  email: optionalEmail,
  phone: optionalText('Phone', 50),
  active: checkbox,
  ...addressShape,
});

export function parseSiteForm(body: unknown): FormResult<SiteInput> {
  const result = parseForm(siteSchema, body);
  if (!result.ok) return result;
  const v = result.value;
  return {
    ok: true,
    value: { name: v.name, contactName: v.contactName, email: v.email, phone: v.phone, active: v.active, address: toPostalAddress(v) },
  };
}

export interface SiteFormValues {
  text: Record<string, string>;
  active: boolean;
}

export function siteFormValuesFromBody(body: unknown): SiteFormValues {
  return { text: enteredText(body, SITE_FIELD_NAMES), active: checkbox.parse((body as Record<string, unknown> | undefined)?.active) };
}

export function siteFormValuesFromRecord(s: WorkSite | null): SiteFormValues {
  if (!s) return { text: enteredText({}, SITE_FIELD_NAMES), active: true };
  return {
    text: { name: s.name, contactName: s.contactName ?? '', email: s.email ?? '', phone: s.phone ?? '', ...addressText(s.address) },
    active: s.active,
  };
}
