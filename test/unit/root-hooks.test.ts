import { expect } from 'chai';
import axios from 'axios';

describe('test harness', () => {
  it('refuses network calls that leave the machine', async () => {
    const err = await axios.get('http://example.com/').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect(String((err as Error).message)).to.match(/Nock: Disallowed net connect|ENOTFOUND|EAI_AGAIN/);
  });
});
