import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..');
const PLUGIN = path.join(ROOT, 'plugin');
const FORBIDDEN_ROOTS = ['dev', 'seeds', 'test'].map((d) => path.join(ROOT, d));

/** Every module specifier of a source: import/export … from, side-effect imports, import() and require(). */
function moduleSpecifiers(source: string): string[] {
  const patterns = [/\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((re) => [...source.matchAll(re)].map((m) => m[1] ?? ''));
}

/** What is wrong with one file's imports: relative imports leaving plugin/, or any path into dev/, seeds/ or test/. */
function boundaryViolations(file: string, source: string): string[] {
  const problems: string[] = [];
  for (const spec of moduleSpecifiers(source)) {
    if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
    const target = path.resolve(path.dirname(file), spec);
    if (FORBIDDEN_ROOTS.some((root) => target === root || target.startsWith(root + path.sep))) problems.push(`${file}: imports ${spec} (dev/, seeds/ or test/)`);
    else if (!target.startsWith(PLUGIN + path.sep)) problems.push(`${file}: relative import ${spec} leaves plugin/`);
  }
  return problems;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the plugin reaches Work only through plugin/host', () => {
  it('has no file importing dev/, seeds/ or test/, and no relative import leaving plugin/', () => {
    const files = tsFiles(PLUGIN);
    expect(files.length).to.be.greaterThan(5);
    const problems = files.flatMap((f) => boundaryViolations(f, fs.readFileSync(f, 'utf8')));
    expect(problems).to.deep.equal([]);
  });

  it('would notice each kind of escape (the check itself works)', () => {
    const file = path.join(PLUGIN, 'sync', 'engine.ts');
    const cases: [string, number][] = [
      ["import { x } from '../../dev/host/app';", 1],
      ["import type { Y } from '../../seeds/work-seed';", 1],
      ["export { z } from '../../test/support/test-database';", 1],
      ["const m = await import('../../README.md');", 1],
      ["const m = require('../../migrations/x');", 1],
      ["import '../../dev/start';", 1],
      ["import { a } from '../host/work-host';\nimport knex from 'knex';", 0],
    ];
    for (const [source, expected] of cases) expect(boundaryViolations(file, source), source).to.have.length(expected);
  });
});
