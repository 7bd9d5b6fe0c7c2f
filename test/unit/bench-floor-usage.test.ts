import { expect } from 'chai';
import { callFloor } from '../../bench/lib/floor';
import { measureProcess } from '../../bench/lib/process-usage';

describe('bench: the call floor and process usage', () => {
  it('sums ceil(reads / 1000) + ceil(writes / 30) over the layers', () => {
    expect(callFloor([])).to.equal(0);
    expect(callFloor([{ name: 'customers', reads: 6000, writes: 2000 }])).to.equal(6 + 67);
    expect(callFloor([{ name: 'customers', reads: 1, writes: 1 }, { name: 'sub-customers', reads: 1001, writes: 30 }, { name: 'invoices', reads: 0, writes: 31 }])).to.equal(1 + 1 + 2 + 1 + 0 + 2);
  });

  it('refuses a layer with a negative or fractional count, naming it', () => {
    expect(() => callFloor([{ name: 'sites', reads: -1, writes: 0 }])).to.throw('layer sites: reads must be a whole number ≥ 0, got -1');
    expect(() => callFloor([{ name: 'sites', reads: 0, writes: 2.5 }])).to.throw('layer sites: writes must be a whole number ≥ 0, got 2.5');
  });

  it('reports the CPU a piece of work burned, its result, and a peak RSS at least what the process held', async () => {
    const before = process.memoryUsage.rss() / 1e6;
    const usage = await measureProcess(async () => {
      // Burn at least 30 ms of this process's CPU, however busy the machine is.
      const start = process.cpuUsage();
      let x = 0;
      for (let used = 0; used < 30_000; used = process.cpuUsage(start).user + process.cpuUsage(start).system) x += Math.sqrt(x + 1);
      return Promise.resolve(x > 0 ? 'done' : 'never');
    });
    expect(usage.result).to.equal('done');
    expect(usage.cpuMs).to.be.at.least(30);
    expect(usage.peakRssMb).to.be.at.least(before * 0.9);
  });
});
