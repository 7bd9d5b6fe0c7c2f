import { expect } from 'chai';
import Decimal from 'decimal.js';
import { QBO_API_BASE_URLS, QBO_MINOR_VERSION, companyPath, resolveApiBaseUrl } from '../../plugin/qbo/endpoints';
import { toWireJson } from '../../plugin/qbo/wire-json';
import { redactSecrets } from '../../plugin/qbo/redact';

describe('QBO endpoints', () => {
  it("defaults to Intuit's hosts per environment and accepts an override", () => {
    expect(resolveApiBaseUrl('sandbox')).to.equal('https://sandbox-quickbooks.api.intuit.com');
    expect(resolveApiBaseUrl('production')).to.equal(QBO_API_BASE_URLS.production);
    expect(resolveApiBaseUrl('production', 'http://127.0.0.1:4010/')).to.equal('http://127.0.0.1:4010');
    expect(QBO_MINOR_VERSION).to.equal('75');
  });

  it('refuses a malformed or non-http base', () => {
    expect(() => resolveApiBaseUrl('sandbox', 'not a url')).to.throw();
    expect(() => resolveApiBaseUrl('sandbox', 'ftp://x')).to.throw(/http/);
  });

  it('builds company paths and refuses anything that could reshape them', () => {
    expect(companyPath('9130348651845276', 'companyinfo', '9130348651845276')).to.equal('/v3/company/9130348651845276/companyinfo/9130348651845276');
    for (const bad of [() => companyPath('12a'), () => companyPath('1', '..'), () => companyPath('1', 'a/b'), () => companyPath('1', 'q?x=1'), () => companyPath('1', '')]) {
      expect(bad).to.throw();
    }
  });
});

describe('toWireJson', () => {
  it('writes Decimals as exact JSON numbers, skips undefined fields, keeps arrays and nesting', () => {
    const value = { a: new Decimal('123456789012345678.91'), b: undefined, c: [new Decimal('0.30'), null, 'x'], d: { e: true, f: 2 } };
    expect(toWireJson(value)).to.equal('{"a":123456789012345678.91,"c":[0.3,null,"x"],"d":{"e":true,"f":2}}');
    expect(JSON.parse(toWireJson({ s: 'quote " and \\ backslash' }))).to.deep.equal({ s: 'quote " and \\ backslash' });
  });

  it('refuses non-finite amounts and values JSON cannot carry', () => {
    expect(() => toWireJson({ a: new Decimal(Number.NaN) })).to.throw(/non-finite/);
    expect(() => toWireJson({ a: Number.POSITIVE_INFINITY })).to.throw(/non-finite/);
    expect(() => toWireJson({ a: () => 1 })).to.throw();
  });
});

describe('redactSecrets', () => {
  it('leaves ordinary fault text alone', () => {
    const text = 'Duplicate Name Exists Error: The name supplied already exists. : null';
    expect(redactSecrets(text)).to.equal(text);
  });

  it('redacts Bearer values and token assignments', () => {
    expect(redactSecrets('Authorization: Bearer abc.def-123')).to.equal('Authorization: Bearer [redacted]');
    expect(redactSecrets('{"refresh_token":"AB11xyz"}')).to.equal('{"refresh_token":"[redacted]"}');
  });
});
