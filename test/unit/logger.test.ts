import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../plugin/logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('plugin logger', () => {
  it('redacts tokens, secrets and keys at any depth', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.info(
      {
        access_token: 'AT-secret',
        refreshToken: 'RT-secret',
        nested: { clientSecret: 'CS-secret', deeper: { Authorization: 'Bearer AT-secret' } },
        tokenEncryptionKeys: { k1: 'KEY-secret' },
      },
      'x',
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ['AT-secret', 'RT-secret', 'CS-secret', 'KEY-secret']) expect(text).not.to.include(secret);
    expect(text).to.include('[redacted]');
  });

  it('keeps QuickBooks fault codes and intuit_tid readable', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.warn({ code: '6240', element: 'DisplayName', intuitTid: '1-abc' }, 'QuickBooks call failed');
    const [line] = out.lines();
    expect(line).to.include({ code: '6240', element: 'DisplayName', intuitTid: '1-abc' });
  });
});
