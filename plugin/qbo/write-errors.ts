import type { QboResponse } from './http-client';

export { SubjectBusyError } from '../persistence/write-batch-repository';
export { WriteKeyReusedError } from '../persistence/write-intent-repository';

/**
 * An earlier write of the same record, whose outcome was unknown, was re-sent verbatim before the new one and
 * QuickBooks applied it. The new write was NOT sent: it was formed without knowing this answer (a second
 * create would duplicate the record). Re-plan from `response` (e.g. the Id the create got) and write again.
 */
export class EarlierWriteResolvedError extends Error {
  constructor(
    readonly realmId: string,
    readonly subject: string,
    readonly earlierOperationKey: string,
    readonly response: QboResponse,
  ) {
    super(`an earlier QuickBooks write of ${subject} (${earlierOperationKey}) turned out to be applied; the new write was not sent`);
    this.name = 'EarlierWriteResolvedError';
  }
}
