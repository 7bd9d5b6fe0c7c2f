import { z } from 'zod';
import type { NewWorkClient, WorkClient } from '../../../../plugin/host/work-records';
import { messages } from '../messages';
import { ADDRESS_FIELD_NAMES, addressShape, addressText, toPostalAddress } from './address-fields';
import { checkbox, optionalEmail, optionalText } from './fields';
import { enteredText, parseForm, type FormResult } from './form-result';

export const CLIENT_FIELD_NAMES = ['companyName', 'firstName', 'lastName', 'email', 'phone', ...ADDRESS_FIELD_NAMES, 'notes'] as const;

// Work allows company names longer than QuickBooks' 100 characters; the plugin must cope, so no cap at 100.
const clientSchema = z
  .object({
    companyName: optionalText('Company name', 255),
    firstName: optionalText('First name', 100),
    lastName: optionalText('Last name', 100),
    email: optionalEmail,
    phone: optionalText('Phone', 50),
    notes: optionalText('Notes', 2000),
    active: checkbox,
    ...addressShape,
  })
  .superRefine((v, ctx) => {
    // Blank company names are allowed (Work has them), but a client must be called something.
    if (v.companyName === null && v.firstName === null && v.lastName === null) {
      ctx.addIssue({ code: 'custom', path: ['companyName'], message: messages.clientNameRequired });
    }
  });

export function parseClientForm(body: unknown): FormResult<NewWorkClient> {
  const result = parseForm(clientSchema, body);
  if (!result.ok) return result;
  const v = result.value;
  return {
    ok: true,
    value: {
      companyName: v.companyName,
      firstName: v.firstName,
      lastName: v.lastName,
      email: v.email,
      phone: v.phone,
      notes: v.notes,
      active: v.active,
      billingAddress: toPostalAddress(v),
    },
  };
}

export interface ClientFormValues {
  text: Record<string, string>;
  active: boolean;
}

export function clientFormValuesFromBody(body: unknown): ClientFormValues {
  const text = enteredText(body, CLIENT_FIELD_NAMES);
  const active = checkbox.parse((body as Record<string, unknown> | undefined)?.active);
  return { text, active };
}

export function clientFormValuesFromRecord(c: WorkClient | null): ClientFormValues {
  if (!c) return { text: enteredText({}, CLIENT_FIELD_NAMES), active: true };
  return {
    text: {
      companyName: c.companyName ?? '',
      firstName: c.firstName ?? '',
      lastName: c.lastName ?? '',
      email: c.email ?? '',
      phone: c.phone ?? '',
      notes: c.notes ?? '',
      ...addressText(c.billingAddress),
    },
    active: c.active,
  };
}
