import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { IMPORT_TEXTS } from '../../plugin/messages';
import { decodeText } from '../../plugin/sync/import/decode-text';
import { planProduct } from '../../plugin/sync/import/import-plan';
import { MAX_UPLOAD_BYTES, readProductFile, type ProductFileResult } from '../../plugin/sync/import/product-file';
import { parsePrice } from '../../plugin/sync/import/product-rows';
import type { WorkItem } from '../../plugin/host/work-records';
import { PAGE_HEADER, PAGE_ROWS } from '../fixtures/products/make-fixtures';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'products');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

/** What every encoding of the Products and Services page export must read as. */
const EXPECTED_PRODUCTS = [
  { row: 2, name: 'Boiler service', description: 'Annual boiler service, parts extra', sku: 'SV-100', kind: 'service', unitPrice: '1250.5', taxable: true },
  { row: 3, name: 'Café descaling', description: 'Crème de la crème descale — 5 € surcharge', sku: 'SV-200', kind: 'service', unitPrice: '89.9999999', taxable: false },
  { row: 4, name: 'Filter cartridge', description: 'Replacement filter', sku: 'PR-1', kind: 'product', unitPrice: '12', taxable: true },
];
const EXPECTED_REJECTED = [
  { row: 5, name: 'Hedges:Trim', reason: IMPORT_TEXTS.reasons.nameBadCharacter },
  { row: 6, name: 'Seasonal', reason: IMPORT_TEXTS.reasons.notAnItem('Category') },
];

function problemOf(result: ProductFileResult): string {
  if (result.ok) throw new Error('expected a problem, the file was read');
  return result.problem;
}

async function xlsx(rows: (string | number | { formula: string; result?: number })[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Products');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('products import: reading QuickBooks exports', () => {
  for (const file of ['products-utf8.csv', 'products-utf8-bom.csv', 'products-utf16le.csv', 'products-utf16be.csv', 'products-windows1252.csv']) {
    it(`reads the Products and Services page export saved as ${file}`, async () => {
      const result = await readProductFile(file, fixture(file));
      expect(result).to.deep.equal({ ok: true, format: 'csv', products: EXPECTED_PRODUCTS, rejected: EXPECTED_REJECTED });
    });
  }

  it('reads the Product/Service List report: title lines above the header, the export time in the footer', async () => {
    const result = await readProductFile('report.csv', fixture('product-service-list-report.csv'));
    expect(result.ok && result.products.map((p) => [p.row, p.name, p.unitPrice, p.taxable, p.kind])).to.deep.equal([
      [6, 'Boiler service', '1250.5', true, 'service'],
      [7, 'Café descaling', '89.9999999', false, 'service'],
      [8, 'Filter cartridge', '12', true, 'product'],
    ]);
    expect(result.ok && result.rejected).to.deep.equal([]);
  });

  it('reads both exports as .xlsx (numbers as exact decimals, rows and headers as in the CSV)', async () => {
    const page = await readProductFile('products.xlsx', await xlsx([PAGE_HEADER, ...PAGE_ROWS]));
    expect(page).to.deep.equal({ ok: true, format: 'xlsx', products: EXPECTED_PRODUCTS, rejected: EXPECTED_REJECTED });
    const report = await readProductFile('report.xlsx', await xlsx([['Product/Service List'], ['Northwind'], [], ['Product/Service', 'Type', 'Price', 'Taxable'], ['Boiler service', 'Service', 1250.5, 'Yes'], ['Tiny', 'Service', 0.0000001, 'No'], [], ['Tuesday, December 1, 2026 10:30 AM GMT-08:00']]));
    expect(report.ok && report.products.map((p) => [p.row, p.name, p.unitPrice])).to.deep.equal([[5, 'Boiler service', '1250.5'], [6, 'Tiny', '0.0000001']]);
  });

  it('matches column names case-insensitively, with spaces around "/" ignored', async () => {
    const csv = 'PRODUCT/SERVICE NAME,sales price/rate,  Sku \r\nWidget,"2,000.1234567",W-1\r\n';
    const result = await readProductFile('x.csv', Buffer.from(csv));
    expect(result.ok && result.products).to.deep.equal([{ row: 2, name: 'Widget', unitPrice: '2000.1234567', sku: 'W-1' }]);
  });

  it('refuses formulas in an .xlsx, naming the cell, and never evaluates them', async () => {
    const bytes = await xlsx([['Product/Service Name', 'Sales Price / Rate'], ['Widget', { formula: '1+1', result: 2 }]]);
    expect(problemOf(await readProductFile('f.xlsx', bytes))).to.equal(IMPORT_TEXTS.problems.formula('B2'));
  });

  it('rejects rows breaking QuickBooks name rules or with bad prices, each with its reason', async () => {
    const long = 'x'.repeat(101);
    const csv = [
      'Product/Service Name,Sales Price / Rate,Taxable,Type',
      `${long},1,No,Service`,
      '"Quote ""A""",1,No,Service',
      '"Tab\tname",1,No,Service',
      '"Line\nbreak",1,No,Service',
      '<script>alert(1)</script>,1,No,Service',
      '=HYPERLINK(1),1,No,Service',
      'Priced,abc,No,Service',
      'Negative,-5,No,Service',
      'Precise,1.12345678,No,Service',
      'Taxy,1,Maybe,Service',
      ',1,No,Service',
      'Fine,1,No,Service',
      'FINE,2,No,Service',
      'Exactly100' + 'y'.repeat(90) + ',1,No,Service',
    ].join('\n');
    const result = await readProductFile('bad.csv', Buffer.from(csv));
    if (!result.ok) throw new Error(result.problem);
    expect(result.products.map((p) => p.name)).to.deep.equal(['Fine', `Exactly100${'y'.repeat(90)}`]);
    expect(result.rejected.map((r) => [r.row, r.reason])).to.deep.equal([
      [2, IMPORT_TEXTS.reasons.nameTooLong],
      [3, IMPORT_TEXTS.reasons.nameBadCharacter],
      [4, IMPORT_TEXTS.reasons.nameBadCharacter],
      [5, IMPORT_TEXTS.reasons.nameBadCharacter],
      [6, IMPORT_TEXTS.reasons.nameMarkup],
      [7, IMPORT_TEXTS.reasons.nameFormula],
      [8, IMPORT_TEXTS.reasons.badPrice],
      [9, IMPORT_TEXTS.reasons.negativePrice],
      [10, IMPORT_TEXTS.reasons.tooManyDecimals],
      [11, IMPORT_TEXTS.reasons.badTaxable],
      [12, IMPORT_TEXTS.reasons.nameMissing],
      [14, IMPORT_TEXTS.reasons.duplicate],
    ]);
  });

  it('refuses files that are not an export, each with a clear problem', async () => {
    expect(problemOf(await readProductFile('empty.csv', Buffer.alloc(0)))).to.equal(IMPORT_TEXTS.problems.empty);
    expect(problemOf(await readProductFile('blank.csv', Buffer.from('\r\n ,, \r\n')))).to.equal(IMPORT_TEXTS.problems.empty);
    expect(problemOf(await readProductFile('big.csv', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41)))).to.equal(IMPORT_TEXTS.problems.tooLarge(MAX_UPLOAD_BYTES / (1024 * 1024)));
    expect(problemOf(await readProductFile('list.pdf', Buffer.from('%PDF-1.4')))).to.equal(IMPORT_TEXTS.problems.wrongType);
    expect(problemOf(await readProductFile('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))).to.equal(IMPORT_TEXTS.problems.wrongType);
    expect(problemOf(await readProductFile('fake.xlsx', Buffer.from('Product/Service Name,SKU\r\n')))).to.equal(IMPORT_TEXTS.problems.wrongType);
    expect(problemOf(await readProductFile('zip.csv', await xlsx([['a']])))).to.equal(IMPORT_TEXTS.problems.wrongType);
    expect(problemOf(await readProductFile('broken.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).to.equal(IMPORT_TEXTS.problems.unreadableXlsx);
    expect(problemOf(await readProductFile('bin.csv', Buffer.from([0x41, 0x00, 0x42, 0x00])))).to.equal(IMPORT_TEXTS.problems.badEncoding);
    expect(problemOf(await readProductFile('ctl.csv', Buffer.from('Name,SKU\r\nA\u0001,1\r\n')))).to.equal(IMPORT_TEXTS.problems.badEncoding);
    expect(problemOf(await readProductFile('clients.csv', Buffer.from('Customer,Email\r\nAcme,a@b.test\r\n')))).to.equal(IMPORT_TEXTS.problems.noHeader);
    expect(problemOf(await readProductFile('headers.csv', Buffer.from('Product/Service Name,SKU\r\n')))).to.equal(IMPORT_TEXTS.problems.noRows);
    expect(problemOf(await readProductFile('quotes.csv', Buffer.from('Product/Service Name,SKU\r\n"open,1\r\n')))).to.equal(IMPORT_TEXTS.problems.badEncoding);
  });

  it('decodes each encoding, and refuses BOM-less UTF-16 rather than guessing', () => {
    expect(decodeText(Buffer.from('caf\u00e9'))).to.deep.equal({ ok: true, text: 'café', encoding: 'utf-8' });
    expect(decodeText(Buffer.from([0x63, 0xe9, 0x80]))).to.deep.equal({ ok: true, text: 'cé€', encoding: 'windows-1252' });
    expect(decodeText(Buffer.from('caf\u00e9', 'utf16le'))).to.deep.equal({ ok: false });
  });

  it('parses prices exactly as decimals (thousands separators, up to 7 decimal places)', () => {
    expect(parsePrice('1,234,567.1234567')).to.deep.equal({ ok: true, value: '1234567.1234567' });
    expect(parsePrice('$ 0.10')).to.deep.equal({ ok: true, value: '0.1' });
    expect(parsePrice('')).to.deep.equal({ ok: true, value: null });
    expect(parsePrice('12,34').ok).to.equal(false);
    expect(parsePrice('1.2.3').ok).to.equal(false);
    expect(parsePrice('(5.00)').ok).to.equal(false);
  });

  it('plans an update only for fields the file carries that differ (a price equal as a decimal is unchanged)', () => {
    const existing: WorkItem = { id: '7', accountId: '1', name: 'Widget', description: 'Old', sku: 'W', kind: 'service', unitPrice: '12.5000', taxable: false, active: true, updatedAt: new Date(0) };
    expect(planProduct({ row: 2, name: 'Widget', unitPrice: '12.5' }, existing).action).to.equal('unchanged');
    const change = planProduct({ row: 2, name: 'Widget', unitPrice: '12.51', description: 'Old', taxable: true }, existing);
    expect(change.action === 'update' && change.patch).to.deep.equal({ unitPrice: '12.51', taxable: true });
    expect(planProduct({ row: 2, name: 'Fine', unitPrice: '1.1234' }, null, 4).action).to.equal('create');
    expect(planProduct({ row: 2, name: 'Fine', unitPrice: '1.12345' }, null, 4)).to.deep.include({ action: 'reject', reason: IMPORT_TEXTS.reasons.priceTooPrecise('1.12345', 4) });
    expect(planProduct({ row: 2, name: 'Fine', unitPrice: '1.1234567' }, null).action, 'without a host limit: QuickBooks\' 7').to.equal('create');
    expect(planProduct({ row: 2, name: 'New' }, null)).to.deep.include({ action: 'create', item: { name: 'New', description: null, sku: null, kind: 'service', unitPrice: null, taxable: false, active: true } });
  });
});
