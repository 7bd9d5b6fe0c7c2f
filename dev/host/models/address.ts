import type { PostalAddress } from '../../../plugin/host/work-records';

export interface AddressColumns {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export function addressFromRow(row: AddressColumns): PostalAddress {
  return {
    line1: row.address_line1,
    line2: row.address_line2,
    city: row.city,
    state: row.state,
    postalCode: row.postal_code,
    country: row.country,
  };
}

export function addressToRow(a: Partial<PostalAddress>): Partial<AddressColumns> {
  const row: Partial<AddressColumns> = {};
  if (a.line1 !== undefined) row.address_line1 = a.line1;
  if (a.line2 !== undefined) row.address_line2 = a.line2;
  if (a.city !== undefined) row.city = a.city;
  if (a.state !== undefined) row.state = a.state;
  if (a.postalCode !== undefined) row.postal_code = a.postalCode;
  if (a.country !== undefined) row.country = a.country;
  return row;
}
