import type { z } from 'zod';
import type { PostalAddress } from '../../../../plugin/host/work-records';
import { optionalText } from './fields';

export const ADDRESS_FIELD_NAMES = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const;

export const addressShape = {
  line1: optionalText('Address line 1'),
  line2: optionalText('Address line 2'),
  city: optionalText('City', 100),
  state: optionalText('State', 100),
  postalCode: optionalText('Postal code', 30),
  country: optionalText('Country', 100),
};

export type AddressFields = { [K in keyof typeof addressShape]: z.output<(typeof addressShape)[K]> };

export function toPostalAddress(v: AddressFields): PostalAddress {
  return { line1: v.line1, line2: v.line2, city: v.city, state: v.state, postalCode: v.postalCode, country: v.country };
}

export function addressText(a: PostalAddress): Record<(typeof ADDRESS_FIELD_NAMES)[number], string> {
  return {
    line1: a.line1 ?? '',
    line2: a.line2 ?? '',
    city: a.city ?? '',
    state: a.state ?? '',
    postalCode: a.postalCode ?? '',
    country: a.country ?? '',
  };
}
