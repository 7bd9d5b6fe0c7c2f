import { expect } from 'chai';
import type { QboErrorKind } from '../../plugin/qbo/errors';
import { decidePushFailure, type PushFailureAction } from '../../plugin/sync/plan/push-failure';

describe('sync invoice/payment push failures: what happens to the record', () => {
  const table: Array<[string, QboErrorKind, string, string, boolean, number, PushFailureAction]> = [
    ['a stale SyncToken, first time', 'stale-object', '5010', 'Stale Object Error', false, 0, 'reread_and_retry'],
    ['a stale SyncToken again after the re-read', 'stale-object', '5010', 'Stale Object Error', false, 1, 'retry_next_run'],
    ['an invoice deleted in QBO', 'not-found', '610', 'Object Not Found', false, 0, 'stop_for_good'],
    ['an invoice voided in QBO', 'business', '6000', 'This transaction has been voided and can no longer be changed', false, 0, 'stop_for_good'],
    ['a deposited payment', 'business', '6540', 'Deposited Transaction cannot be changed', false, 0, 'stop_for_good'],
    ['a closed period (6200)', 'business', '6200', 'Account Period Closed', false, 0, 'retry_next_run'],
    ['a closed period (6210)', 'business', '6210', 'Account Period Closed', false, 0, 'retry_next_run'],
    ['a lapsed subscription', 'business', '6190', 'Invalid Company Status', false, 0, 'retry_next_run'],
    ['an inactive customer', 'business', '6250', 'Invalid Customer', false, 0, 'retry_next_run'],
    ['an account of the wrong type', 'business', '6430', 'Invalid account type', false, 0, 'retry_next_run'],
    ['an amount mismatch', 'validation', '6070', 'Amount calculation incorrect', false, 0, 'stop_until_edited'],
    ['a duplicate DocNumber', 'business', '6140', 'Duplicate Document Number Error', false, 0, 'stop_until_edited'],
    ['a string too long', 'validation', '2050', 'String length is either shorter or longer than supported', false, 0, 'stop_until_edited'],
    ['a total below the payments applied', 'business', '6000', 'The invoice total cannot be less than the payments applied to it', false, 0, 'stop_until_edited'],
    ['throttling the client gave up on', 'throttled', '3001', 'ThrottleExceeded', false, 0, 'retry_next_run'],
    ['an answer lost for good (outcome unknown)', 'network', 'ECONNRESET', 'socket hang up', true, 0, 'retry_next_run'],
    ['a 504 after a write', 'service', '6002', 'Gateway timeout', true, 0, 'retry_next_run'],
  ];
  for (const [what, kind, code, message, outcomeUnknown, attempt, action] of table) {
    it(`${what} → ${action}`, () => {
      expect(decidePushFailure({ kind, code, message, outcomeUnknown }, attempt)).to.equal(action);
    });
  }
});
