import { expect } from 'chai';
import { accountCount } from '../../bench/benchmarks/fleet';

describe('bench: the fleet\'s account count', () => {
  it('is 500 unless BENCH_FLEET_ACCOUNTS says otherwise', () => {
    expect(accountCount({})).to.equal(500);
    expect(accountCount({ BENCH_FLEET_ACCOUNTS: '' })).to.equal(500);
    expect(accountCount({ BENCH_FLEET_ACCOUNTS: '20' })).to.equal(20);
  });

  for (const bad of ['0', '-3', '2.5', 'many', '1e400']) {
    it(`refuses BENCH_FLEET_ACCOUNTS=${JSON.stringify(bad)}, naming the variable and the value`, () => {
      expect(() => accountCount({ BENCH_FLEET_ACCOUNTS: bad })).to.throw(`BENCH_FLEET_ACCOUNTS must be a whole number ≥ 1, got "${bad}"`);
    });
  }
});
