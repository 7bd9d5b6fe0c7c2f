import { expect } from 'chai';
import { SYNC_REASONS } from '../../plugin/messages';
import { ConnectionUnusableError } from '../../plugin/qbo/oauth/errors';
import { failureReason, stopIfConnectionUnusable } from '../../plugin/sync/engine/fault-reasons';

describe('sync fault reasons: a paused connection', () => {
  it('is explained as a connection needing a reconnect, not as an internal error, and retried', () => {
    const why = failureReason(new ConnectionUnusableError('123', 'needs_reconnect'));
    expect(why).to.include({ reasonCode: 'connection_paused', reason: SYNC_REASONS.connection_paused, retryable: true });
    expect(failureReason(new Error('boom')).reasonCode).to.equal('internal_error');
  });

  it('stops a write layer (throws the same error); any other failure or none lets the layer log its records', () => {
    const paused = new ConnectionUnusableError('123', 'disconnected');
    expect(() => stopIfConnectionUnusable(paused)).to.throw(paused);
    expect(() => stopIfConnectionUnusable(new Error('socket hang up'))).not.to.throw();
    expect(() => stopIfConnectionUnusable(null)).not.to.throw();
  });
});
