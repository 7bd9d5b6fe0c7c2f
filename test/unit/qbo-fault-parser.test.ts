import { expect } from 'chai';
import { parseFault, parseItemFault, retryAfterMs } from '../../plugin/qbo/fault-parser';
import type { QboErrorKind } from '../../plugin/qbo/errors';
import { allRecordings, loadRecording, responseText, type Recording } from '../support/recordings';

/**
 * Every recorded QuickBooks fault, with what the parser must make of it. Written out by hand from the
 * recordings (not derived from them), so a parser regression cannot agree with itself.
 */
const EXPECTED_FAULTS: Record<string, { kind: QboErrorKind; element: string | null; retryable: boolean }> = {
  'attachable-upload-fault-6000--1.json': { kind: 'business', element: null, retryable: false },
  'attachable-upload-fault-6000--3.json': { kind: 'business', element: null, retryable: false },
  'cdc-fault-10000--2.json': { kind: 'service', element: 'SystemFailureError', retryable: true },
  'cdc-fault-10000--3.json': { kind: 'service', element: 'SystemFailureError', retryable: true },
  'fault-100-auth-error-500-xml--1.json': { kind: 'service', element: null, retryable: true },
  'fault-10000-system-failure--1.json': { kind: 'service', element: null, retryable: true },
  'fault-10000-system-failure--3.json': { kind: 'service', element: 'SystemFailureError', retryable: true },
  'fault-2010-unsupported-property--1.json': { kind: 'validation', element: null, retryable: false },
  'fault-2010-unsupported-property--3.json': { kind: 'validation', element: null, retryable: false },
  'fault-2010-unsupported-property--4.json': { kind: 'validation', element: null, retryable: false },
  'fault-2030-invalid-id--1.json': { kind: 'validation', element: 'Id', retryable: false },
  'fault-4000-query-parse-error--2.json': { kind: 'validation', element: null, retryable: false },
  'fault-4000-query-parse-error--3.json': { kind: 'validation', element: null, retryable: false },
  'fault-4001-invalid-query--1.json': { kind: 'validation', element: null, retryable: false },
  'fault-401-token-expired--1.json': { kind: 'authentication', element: null, retryable: true },
  'fault-500-unsupported-operation--1.json': { kind: 'validation', element: null, retryable: false },
  'fault-6240-duplicate-name--1.json': { kind: 'duplicate-name', element: null, retryable: false },
  'fault-6240-duplicate-name--3.json': { kind: 'duplicate-name', element: null, retryable: false },
  'oauth1-fault-3202-missing-consumer-key--1.json': { kind: 'authentication', element: null, retryable: true },
  'oauth1-fault-401-signature--1.json': { kind: 'authentication', element: null, retryable: true },
  'oauth1-fault-401-signature--2.json': { kind: 'authentication', element: null, retryable: true },
  'oauth1-fault-401-signature--4.json': { kind: 'authentication', element: null, retryable: true },
  'query-escaping-rejected--10.json': { kind: 'validation', element: null, retryable: false },
  'query-escaping-rejected--2.json': { kind: 'validation', element: null, retryable: false },
  'query-escaping-rejected--4.json': { kind: 'validation', element: null, retryable: false },
  'query-escaping-rejected--5.json': { kind: 'validation', element: null, retryable: false },
  'query-escaping-rejected--6.json': { kind: 'validation', element: null, retryable: false },
  'query-escaping-rejected--8.json': { kind: 'validation', element: null, retryable: false },
};

/** Batch faults live in items: the batch helper parses them one by one (see below). */
const ITEM_FAULT_FILES = new Set(['batch-mixed-faults--1.json']);

function parse(rec: Recording) {
  return parseFault(rec.response.status, rec.response.headers, responseText(rec));
}

describe('parseFault on the recorded QuickBooks faults', () => {
  const recordings = allRecordings();
  const withFaults = recordings.filter((r) => (r.faultCodes ?? []).length > 0);

  it('has an expectation for every fault recording (no recording silently skipped)', () => {
    const files = withFaults.map((r) => r.file).filter((f) => !ITEM_FAULT_FILES.has(f));
    expect(files.sort()).to.deep.equal(Object.keys(EXPECTED_FAULTS).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED_FAULTS)) {
    it(`${file} → ${expected.kind}`, () => {
      const rec = loadRecording(file);
      const error = parse(rec);
      expect(error, 'a fault must never pass as success').to.not.equal(null);
      expect(error?.code).to.equal(rec.faultCodes?.[0]);
      expect(error?.kind).to.equal(expected.kind);
      expect(error?.element).to.equal(expected.element);
      expect(error?.intuitTid).to.equal(rec.response.headers['intuit_tid'] ?? null);
      expect(error?.httpStatus).to.equal(rec.response.status);
      expect(error?.retryable).to.equal(expected.retryable);
      expect(error?.message).to.be.a('string').and.not.equal('');
    });
  }

  it('keeps every error of the fault and its Message/Detail', () => {
    const error = parse(loadRecording('fault-2030-invalid-id--1.json'));
    expect(error?.message).to.equal('Invalid ID');
    expect(error?.detail).to.equal('Id should be a valid number. Supplied value:1.5');
    expect(error?.errors).to.have.length(1);
  });

  it('reads the lower-case 401 body and its fault type', () => {
    const error = parse(loadRecording('fault-401-token-expired--1.json'));
    expect(error?.faultType).to.equal('AUTHENTICATION');
    expect(error?.message).to.equal('message=AuthenticationFailed; errorCode=003200; statusCode=401');
  });

  it('reads XML faults (type attribute, Message, Detail)', () => {
    const error = parse(loadRecording('fault-100-auth-error-500-xml--1.json'));
    expect(error?.faultType).to.equal('AuthenticationFault');
    expect(error?.message).to.equal('General Authentication Error');
    expect(error?.detail).to.match(/^AuthenticationErrorGeneral/);
  });

  it('scrubs the OAuth1 oauth_token echoed in a SignatureBaseString', () => {
    const rec = loadRecording('oauth1-fault-401-signature--2.json');
    const body = responseText(rec).replace('<ACCESS_TOKEN>', 'qyprdSECRETSECRETSECRET');
    const error = parseFault(rec.response.status, rec.response.headers, body);
    expect(error?.detail).to.include('oauth_token%3D[redacted]');
    expect(error?.detail).not.to.include('SECRETSECRET');
  });

  it('scrubs a known token and JWT-shaped strings from messages', () => {
    const token = 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..abc.def';
    const body = JSON.stringify({ Fault: { Error: [{ Message: `bad ${token}`, Detail: 'Token expired: plainsecret123456', code: '3200' }] } });
    const error = parseFault(401, {}, body, { secrets: ['plainsecret123456'] });
    expect(error?.message).to.equal('bad [redacted]');
    expect(error?.detail).to.equal('Token expired: [redacted]');
  });

  it('accepts every recorded success body as success', () => {
    const successes = recordings.filter(
      (r) => (r.faultCodes ?? []).length === 0 && r.response.status === 200 && !r.topic.startsWith('oauth-') && typeof r.response.body !== 'string',
    );
    expect(successes.length).to.be.greaterThan(60);
    for (const rec of successes) expect(parse(rec), rec.file).to.equal(null);
  });

  it('does not take an XML success for a success (we always ask for JSON)', () => {
    const error = parse(loadRecording('attachable-upload--3.json'));
    expect(error?.kind).to.equal('unexpected-response');
  });

  it('turns the recorded HTML 404 into a non-retryable unexpected response', () => {
    const error = parse(loadRecording('query-escaping-rejected--12.json'));
    expect(error?.kind).to.equal('unexpected-response');
    expect(error?.retryable).to.equal(false);
    expect(error?.httpStatus).to.equal(404);
  });

  it('parses the item faults of a recorded batch by item, keeping the call intuit_tid', () => {
    const rec = loadRecording('batch-mixed-faults--1.json');
    expect(parse(rec), 'a batch with failed items is still a successful call').to.equal(null);
    const items = (rec.response.body as { BatchItemResponse: { bId: string }[] }).BatchItemResponse;
    const byId = new Map(items.map((item) => [item.bId, parseItemFault(item, rec.response.headers['intuit_tid'] ?? null)]));
    expect(byId.get('bid1')).to.equal(null);
    expect(byId.get('bid2')?.kind).to.equal('not-found');
    expect(byId.get('bid2')?.code).to.equal('610');
    expect(byId.get('bid3')?.kind).to.equal('stale-object');
    expect(byId.get('bid3')?.intuitTid).to.equal('1-5f734f0e-58baa045003ab251111c54e6');
    expect(byId.get('bid4')).to.equal(null);
  });
});

describe('parseFault on shapes the recordings lack', () => {
  const throttleXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="2017-07-30T22:45:22.933-07:00" xmlns="http://schema.intuit.com/finance/v3">
    <Fault type="SERVICE">
        <Error code="3001">
            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
            <Detail>The request limit was reached.  Try again later</Detail>
        </Error>
    </Fault>
</IntuitResponse>`;

  it('reads a 429 XML throttle fault (shape published in intuit/QuickBooks-V3-PHP-SDK#54) with Retry-After', () => {
    const error = parseFault(429, { 'Content-Type': 'text/xml', intuit_tid: 'tid-429', 'Retry-After': '7' }, throttleXml);
    expect(error?.kind).to.equal('throttled');
    expect(error?.code).to.equal('3001');
    expect(error?.intuitTid).to.equal('tid-429');
    expect(error?.retryAfterMs).to.equal(7000);
  });

  it('treats code 3001 as throttling even under the older HTTP 403', () => {
    expect(parseFault(403, {}, throttleXml.replace('statusCode=429', 'statusCode=403'))?.kind).to.equal('throttled');
  });

  it('marks a 504 / 6002 as a service error whose outcome is unknown', () => {
    const xml = throttleXml.replace('3001', '6002');
    const viaStatus = parseFault(504, {}, '<html>Gateway Timeout</html>');
    const viaCode = parseFault(504, {}, xml);
    expect(viaStatus?.kind).to.equal('service');
    expect(viaStatus?.outcomeUnknown).to.equal(true);
    expect(viaCode?.code).to.equal('6002');
    expect(viaCode?.outcomeUnknown).to.equal(true);
  });

  it('keeps several errors of one fault in order', () => {
    const body = { Fault: { type: 'ValidationFault', Error: [
      { Message: 'Required param missing', Detail: 'Line', code: '2020', element: 'Line' },
      { Message: 'Invalid Reference Id', Detail: 'CustomerRef', code: '2500', element: 'CustomerRef' },
    ] } };
    const error = parseFault(400, {}, body);
    expect(error?.code).to.equal('2020');
    expect(error?.errors.map((e) => e.element)).to.deep.equal(['Line', 'CustomerRef']);
  });

  it('maps 403 lower-case bodies to authorization and 6xxx to business faults', () => {
    const forbidden = { fault: { error: [{ message: 'message=AuthorizationFailure', detail: null, code: '3100' }], type: 'AUTHORIZATION' } };
    expect(parseFault(403, {}, forbidden)?.kind).to.equal('authorization');
    const closed = { Fault: { Error: [{ Message: 'Account Period Closed', code: '6210' }], type: 'ValidationFault' } };
    expect(parseFault(400, {}, closed)?.kind).to.equal('business');
    const stale = { Fault: { Error: [{ Message: 'Stale Object Error', code: '5010' }], type: 'ValidationFault' } };
    expect(parseFault(400, {}, stale)?.kind).to.equal('stale-object');
  });

  it('never accepts an empty or non-JSON 200 as success', () => {
    expect(parseFault(200, {}, '')?.kind).to.equal('unexpected-response');
    expect(parseFault(200, {}, 'not json')?.kind).to.equal('unexpected-response');
    expect(parseFault(200, {}, '[]')?.kind).to.equal('unexpected-response');
    // The write may have been applied: retry under the same requestid rather than give up or re-send fresh.
    expect(parseFault(200, {}, '<html>proxy</html>')).to.deep.include({ retryable: true, outcomeUnknown: true });
  });

  it('judges bodiless failures by status', () => {
    expect(parseFault(429, {}, '')?.kind).to.equal('throttled');
    expect(parseFault(401, {}, '')?.kind).to.equal('authentication');
    expect(parseFault(502, {}, '')?.kind).to.equal('service');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '60' })).to.equal(60_000);
    expect(retryAfterMs({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:30 GMT' }, Date.parse('2026-01-01T00:00:00Z'))).to.equal(30_000);
    expect(retryAfterMs({})).to.equal(null);
  });
});
