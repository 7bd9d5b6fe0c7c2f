import { expect } from 'chai';
import {
  BACKOFF_CAP_MS,
  MAX_ATTEMPTS,
  THROTTLE_BACKOFF_MS,
  THROTTLE_JITTER_MS,
  backoffMs,
  decideRetry,
} from '../../plugin/qbo/retry-policy';
import {
  QboAuthenticationError,
  QboAuthorizationError,
  QboBusinessError,
  QboDuplicateNameError,
  QboNetworkError,
  QboNotFoundError,
  QboServiceError,
  QboStaleObjectError,
  QboThrottledError,
  QboUnexpectedResponseError,
  QboValidationError,
} from '../../plugin/qbo/errors';

const fixed = (value: number) => () => value;
const init = { code: 'X', message: 'm' };

describe('decideRetry', () => {
  describe('429 throttling', () => {
    it('backs off about 60 s plus jitter', () => {
      const low = decideRetry(new QboThrottledError(init), 1, { random: fixed(0) });
      const high = decideRetry(new QboThrottledError(init), 1, { random: fixed(0.999) });
      expect(low).to.deep.equal({ retry: true, reason: 'throttled', waitMs: THROTTLE_BACKOFF_MS });
      expect(high.waitMs).to.be.greaterThan(THROTTLE_BACKOFF_MS + THROTTLE_JITTER_MS * 0.99);
      expect(high.waitMs).to.be.at.most(THROTTLE_BACKOFF_MS + THROTTLE_JITTER_MS);
    });

    it('honours a Retry-After longer than 60 s', () => {
      const d = decideRetry(new QboThrottledError({ ...init, retryAfterMs: 90_000 }), 1, { random: fixed(0) });
      expect(d.waitMs).to.equal(90_000);
    });

    it('never waits less than 60 s even if Retry-After is shorter', () => {
      const d = decideRetry(new QboThrottledError({ ...init, retryAfterMs: 1_000 }), 1, { random: fixed(0) });
      expect(d.waitMs).to.equal(THROTTLE_BACKOFF_MS);
    });
  });

  describe('5xx, 504 and network failures', () => {
    it('retries a service error with exponential back-off and jitter', () => {
      const waits = [1, 2, 3, 4].map((n) => decideRetry(new QboServiceError(init), n, { random: fixed(1 - 1e-9) }).waitMs);
      expect(waits).to.deep.equal([1000, 2000, 4000, 8000]);
      const halves = [1, 2, 3, 4].map((n) => decideRetry(new QboServiceError(init), n, { random: fixed(0) }).waitMs);
      expect(halves).to.deep.equal([500, 1000, 2000, 4000]);
      expect(decideRetry(new QboServiceError(init), 1).reason).to.equal('server-error');
    });

    it('caps the back-off', () => {
      expect(backoffMs(30, fixed(1 - 1e-9))).to.equal(BACKOFF_CAP_MS);
      expect(backoffMs(30, fixed(0))).to.equal(BACKOFF_CAP_MS / 2);
    });

    it('retries a 504 whose outcome is unknown (the same requestid makes it safe)', () => {
      const d = decideRetry(new QboServiceError({ ...init, outcomeUnknown: true }), 1, { random: fixed(0) });
      expect(d).to.deep.equal({ retry: true, reason: 'server-error', waitMs: 500 });
    });

    it('retries resets and timeouts as network errors', () => {
      const d = decideRetry(new QboNetworkError({ ...init, outcomeUnknown: true }), 2, { random: fixed(0) });
      expect(d).to.deep.equal({ retry: true, reason: 'network-error', waitMs: 1000 });
    });

    it('retries a retryable unexpected response, not a non-retryable one', () => {
      expect(decideRetry(new QboUnexpectedResponseError({ ...init, retryable: true }), 1).retry).to.equal(true);
      expect(decideRetry(new QboUnexpectedResponseError(init), 1).reason).to.equal('not-retryable');
    });
  });

  describe('401', () => {
    it('asks for exactly one token refresh, without waiting', () => {
      expect(decideRetry(new QboAuthenticationError(init), 1)).to.deep.equal({ retry: true, reason: 'refresh-token', waitMs: 0 });
    });

    it('gives up on a second 401 after the refresh', () => {
      expect(decideRetry(new QboAuthenticationError(init), 2, { tokenRefreshed: true })).to.deep.equal({
        retry: false,
        reason: 'auth-rejected-after-refresh',
        waitMs: 0,
      });
    });
  });

  describe('faults that retrying cannot fix', () => {
    for (const error of [
      new QboValidationError(init),
      new QboBusinessError(init),
      new QboNotFoundError(init),
      new QboStaleObjectError(init),
      new QboDuplicateNameError(init),
      new QboAuthorizationError(init),
    ]) {
      it(`does not retry ${error.kind}`, () => {
        expect(decideRetry(error, 1)).to.deep.equal({ retry: false, reason: 'not-retryable', waitMs: 0 });
      });
    }

    it('does not retry errors that are not QuickBooks errors (programming errors)', () => {
      expect(decideRetry(new TypeError('x'), 1).reason).to.equal('not-retryable');
      expect(decideRetry('string', 1).retry).to.equal(false);
    });
  });

  describe('attempt limit', () => {
    it(`stops after ${MAX_ATTEMPTS} sends in all`, () => {
      expect(decideRetry(new QboServiceError(init), MAX_ATTEMPTS - 1).retry).to.equal(true);
      expect(decideRetry(new QboServiceError(init), MAX_ATTEMPTS)).to.deep.equal({ retry: false, reason: 'attempts-exhausted', waitMs: 0 });
      expect(decideRetry(new QboThrottledError(init), MAX_ATTEMPTS).reason).to.equal('attempts-exhausted');
    });

    it('accepts a smaller limit from the caller', () => {
      expect(decideRetry(new QboNetworkError({ ...init, outcomeUnknown: false }), 2, { maxAttempts: 2 }).reason).to.equal('attempts-exhausted');
    });
  });
});
