import type { Knex } from 'knex';

/** A record that does not exist in the caller's account (or at all): the pages answer 404. */
export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found in this account`);
    this.name = 'RecordNotFoundError';
  }
}

/** Ids are bigint keys; anything else cannot name a row, so it is "not found" rather than a SQL error. */
export function isRecordId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

/** Throws RecordNotFoundError unless the row exists in this account. */
export async function assertInAccount(
  trx: Knex | Knex.Transaction,
  table: string,
  entity: string,
  accountId: string,
  id: string,
): Promise<void> {
  if (!isRecordId(id)) throw new RecordNotFoundError(entity, id);
  const row = await trx(table).where({ account_id: accountId, id }).first('id');
  if (!row) throw new RecordNotFoundError(entity, id);
}

/**
 * Two records that exist in the account but do not belong together (a site of another client, an invoice
 * of another client). `field` names the form field at fault so the page can say which.
 */
export class ReferenceMismatchError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReferenceMismatchError';
  }
}

/** Another invoice of the account already has this number. */
export class InvoiceNumberTakenError extends Error {
  constructor(readonly number: string) {
    super(`invoice number ${number} is already used in this account`);
    this.name = 'InvoiceNumberTakenError';
  }
}

/** Work keeps an invoice while payments point at it: deleting it would silently unlink money. */
export class InvoiceHasPaymentsError extends Error {
  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} has payments`);
    this.name = 'InvoiceHasPaymentsError';
  }
}
