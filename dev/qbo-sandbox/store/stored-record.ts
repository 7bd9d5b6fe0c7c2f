import type { EntityName, QboObject } from '../contracts';

/** One object as the store keeps it: the QBO JSON plus the states QBO does not show as fields. */
export interface StoredRecord {
  entity: EntityName;
  id: string;
  object: QboObject;
  /** Transactions can be deleted; the object stays as a tombstone for CDC and for 610 on later writes. */
  deleted: boolean;
  voided: boolean;
  /** A payment included in a bank deposit cannot change (6540). */
  deposited: boolean;
  /** Sandbox-clock time of the last applied change, for CDC. */
  changedAtMs: number;
}

/** QBO numbers customers, vendors and employees from one sequence, and all transactions from another. */
export function idSequenceOf(entity: EntityName): string {
  if (entity === 'Customer' || entity === 'Vendor' || entity === 'Employee') return 'names';
  if (entity === 'Invoice' || entity === 'Payment') return 'transactions';
  return entity;
}

/** Appended to the name of a name-list record made inactive (recorded for Account, Employee, Vendor). */
export const DELETED_SUFFIX = ' (deleted)';
