import { expect } from 'chai';
import { figure, notMeasured, renderMarkdown, renderTable, toJson, verdictOf } from '../../bench/lib/figures';

describe('bench figures and table', () => {
  it('judges a figure against its target, both ways, and says "—" without one', () => {
    expect(verdictOf(figure('a', 'a', 1.2, '×', { op: '<=', bound: 1.2 }))).to.equal('met');
    expect(verdictOf(figure('a', 'a', 1.21, '×', { op: '<=', bound: 1.2 }))).to.equal('MISSED');
    expect(verdictOf(figure('b', 'b', 1494, 'writes/min', { op: '>=', bound: 1494 }))).to.equal('met');
    expect(verdictOf(figure('b', 'b', 1493, 'writes/min', { op: '>=', bound: 1494 }))).to.equal('MISSED');
    expect(verdictOf(figure('c', 'c', 7, 'calls'))).to.equal('—');
  });

  it('prints an unmeasured figure as a row with no value and the reason, never a number', () => {
    const rows = [figure('x', 'calls ratio', 28.571, '×'), notMeasured('y', 'fleet speed-up', '×', { op: '>=', bound: 3.2 }, 'not measured yet (engine not on main)')];
    const table = renderTable(rows).split('\n');
    expect(table[0]).to.match(/^figure\s+value\s+unit\s+target\s+verdict$/);
    expect(table[2]).to.match(/^calls ratio\s+28\.57\s+×\s+—\s+—$/);
    expect(table[3]).to.match(/^fleet speed-up\s+—\s+×\s+≥ 3\.20\s+not measured yet \(engine not on main\)$/);
    expect(renderMarkdown(rows)).to.contain('| fleet speed-up | — | × | ≥ 3.20 | not measured yet (engine not on main) |');
  });

  it('writes every figure as JSON with its name, value, unit and target', () => {
    const json = JSON.parse(toJson([figure('hook.overhead_ratio', 'hook', 1.05, '×', { op: '<=', bound: 1.2 }), notMeasured('fleet', 'fleet', '×', null, 'why')], { size: 'S' })) as {
      size: string;
      figures: { name: string; value: number | null; unit: string; target: unknown; note?: string }[];
    };
    expect(json.size).to.equal('S');
    expect(json.figures[0]).to.include({ name: 'hook.overhead_ratio', value: 1.05, unit: '×' });
    expect(json.figures[0]?.target).to.deep.equal({ op: '<=', bound: 1.2 });
    expect(json.figures[1]).to.include({ name: 'fleet', value: null, note: 'why' });
  });
});
