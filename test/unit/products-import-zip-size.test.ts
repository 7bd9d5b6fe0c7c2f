import { expect } from 'chai';
import { readProductFile } from '../../plugin/sync/import/product-file';
import { MAX_XLSX_UNPACKED_BYTES } from '../../plugin/sync/import/read-table';
import { unpackedZipSize } from '../../plugin/sync/import/zip-size';
import { IMPORT_TEXTS } from '../../plugin/messages';
import { buildXlsx, buildZip } from '../support/zip-builder';

const HEADER = ['Product/Service Name', 'Sales Price / Rate'];

describe('products import: an .xlsx that unpacks to far more than it weighs (zip bomb)', () => {
  it('reads a small hand-written .xlsx', async () => {
    const result = await readProductFile('list.xlsx', buildXlsx({ rows: [HEADER, ['Labour', '80']] }));
    expect(result.ok && result.products.map((p) => [p.name, p.unitPrice])).to.deep.equal([['Labour', '80']]);
  });

  it('refuses a 1 GB sheet packed into about 1 MB, with the limit named, before exceljs unpacks it', async () => {
    const bomb = buildXlsx({ rows: [HEADER, ['Labour', '80']], padBytes: 1024 * 1024 * 1024 });
    expect(bomb.length).to.be.below(2 * 1024 * 1024);
    const result = await readProductFile('bomb.xlsx', bomb);
    expect(result).to.deep.equal({ ok: false, problem: IMPORT_TEXTS.problems.unpacksTooLarge(MAX_XLSX_UNPACKED_BYTES / (1024 * 1024)) });
  });

  it('does not trust a zip that understates its sizes: inflating stops at the budget', () => {
    const liar = buildXlsx({ rows: [HEADER], padBytes: 64 * 1024 * 1024, declaredSheetSize: 1000 });
    expect(unpackedZipSize(liar, MAX_XLSX_UNPACKED_BYTES)).to.deep.equal({ ok: false, problem: 'tooLarge' });
  });

  it('measures an honest zip and calls a truncated or foreign one unreadable', () => {
    const zip = buildZip([{ name: 'a.txt', data: Buffer.from('hello'.repeat(100)) }]);
    expect(unpackedZipSize(zip, 1000)).to.deep.equal({ ok: true, bytes: 500 });
    expect(unpackedZipSize(zip.subarray(0, zip.length - 30), 1000)).to.deep.equal({ ok: false, problem: 'unreadable' });
    expect(unpackedZipSize(Buffer.from('PK\u0003\u0004 not really a zip'), 1000)).to.deep.equal({ ok: false, problem: 'unreadable' });
  });
});
