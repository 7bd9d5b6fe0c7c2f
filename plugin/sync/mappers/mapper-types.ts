import type { NameWarning } from '../plan/types';

export type { NameWarning };

/** Work's PostalAddress, with every part optional so a partial or foreign address can be read too. */
export interface PostalAddressLike {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

/** A snapshot with the warnings raised while making it (cuts, replaced characters, dropped email). */
export interface PreparedSnapshot<S> {
  snapshot: S;
  warnings: NameWarning[];
}
