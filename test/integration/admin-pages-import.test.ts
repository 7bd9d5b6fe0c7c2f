import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { IMPORT_TEXTS } from '../../plugin/messages';
import { ProductImportRepository } from '../../plugin/persistence/product-import-repository';
import { MAX_UPLOAD_BYTES } from '../../plugin/sync/import/product-file';
import { ProductImportService } from '../../plugin/sync/import/product-import-service';
import { PAGE_HEADER, PAGE_ROWS } from '../fixtures/products/make-fixtures';
import { asHtml } from './connect-sandbox-support';
import { agentFor, formToken, MOUNT, noticeOf, useAdminPagesWorld, type Agent } from './admin-pages-support';

/**
 * The products import through the stand-in and the plugin over real HTTP: upload, preview, confirm into
 * Work's items through the host port; every bad file answered on the page with nothing imported.
 */

const IMPORT = `${MOUNT}/import/products`;
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'products');

interface ItemRow {
  name: string;
  description: string | null;
  sku: string | null;
  kind: string;
  unit_price: string | null;
  taxable: boolean;
  updated_at: Date;
}

async function xlsx(rows: (string | number | { formula: string; result?: number })[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Products');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Section counts of a preview page: "New items" → 3 … */
function countsOf(html: string): Record<string, number> {
  const list = /<ul class="counts" id="import-counts">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return Object.fromEntries([...list.matchAll(/<li data-section="([\w-]+)">[\s\S]*?<strong>(\d+)<\/strong><\/li>/g)].map((m) => [m[1], Number(m[2])]));
}

/** The rows of a preview section as "row|name|details". */
function sectionRows(html: string, id: string): string[] {
  const section = new RegExp(`<div class="table-wrap" id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...section.matchAll(/<tr><td class="num">(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => `${m[1]}|${m[2]}|${m[3]}`);
}

describe('products import pages (stand-in + plugin over real HTTP)', function () {
  this.timeout(30_000);
  const suite = useAdminPagesWorld();

  async function items(account: 'northwind' | 'bluebird'): Promise<ItemRow[]> {
    return suite.world.knex('items').where('account_id', suite.world.accounts[account]).orderBy('name').select<ItemRow[]>('name', 'description', 'sku', 'kind', 'unit_price', 'taxable', 'updated_at');
  }

  async function upload(agent: Agent, file: { name: string; bytes: Buffer; type?: string } | null, status: number, token?: string) {
    const page = await agent.get(IMPORT).expect(200);
    const req = agent.post(IMPORT).field('_csrf', token ?? formToken(page.text, 'upload-form'));
    if (file) req.attach('file', file.bytes, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    return req.expect(status);
  }

  async function confirm(agent: Agent, previewHtml: string, status: number) {
    const action = /<form method="post" action="([^"]+)" id="confirm-import-form">/.exec(previewHtml)?.[1];
    if (!action) throw new Error('no confirm form on the preview');
    return agent.post(action).type('form').send({ _csrf: formToken(previewHtml, 'confirm-import-form') }).expect(status);
  }

  let seededNames: string[] = [];
  before(async () => {
    seededNames = (await items('northwind')).map((i) => i.name);
  });
  beforeEach(async () => {
    await suite.world.knex('qbo_product_imports').delete();
    await suite.world.knex('items').whereIn('account_id', [suite.world.accounts.northwind, suite.world.accounts.bluebird]).whereNotIn('name', seededNames).delete();
  });

  it('refuses staff (403) on every import route', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const preview = await upload(admin, { name: 'products.csv', bytes: fs.readFileSync(path.join(FIXTURES, 'products-utf8.csv')) }, 200);
    const action = /action="([^"]+\/confirm)"/.exec(preview.text)?.[1] ?? '';
    const staff = await agentFor(suite.world, 'northwindStaff');
    await staff.get(IMPORT).expect(403);
    await staff.post(IMPORT).field('_csrf', 'x').attach('file', Buffer.from('a'), 'a.csv').expect(403);
    await staff.post(action).type('form').send({ _csrf: 'x' }).expect(403);
    expect((await items('northwind')).map((i) => i.name)).to.deep.equal(seededNames);
  });

  it('previews the Products and Services export, imports it on confirm, and re-importing the same file changes nothing', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const before = await items('northwind');
    const preview = await upload(admin, { name: 'products.csv', bytes: fs.readFileSync(path.join(FIXTURES, 'products-utf8.csv')), type: 'text/csv' }, 200);
    expect(preview.text).to.contain('<title>QuickBooks Online · Products import · Work</title>');
    expect(countsOf(preview.text)).to.deep.equal({ 'to-create': 2, 'to-update': 0, unchanged: 0, rejected: 3 });
    expect(sectionRows(preview.text, 'to-create')).to.deep.equal([
      '2|Boiler service|Service, price 1250.5, taxable, SKU SV-100',
      '4|Filter cartridge|Product, price 12, taxable, SKU PR-1',
    ]);
    // Work keeps 4 decimal places (the stand-in's items.unit_price): a 7-place price is refused, not rounded.
    expect(sectionRows(preview.text, 'rejected')).to.deep.equal([
      `3|Café descaling|${asHtml(IMPORT_TEXTS.reasons.priceTooPrecise('89.9999999', 4))}`,
      `5|Hedges:Trim|${asHtml(IMPORT_TEXTS.reasons.nameBadCharacter)}`,
      `6|Seasonal|${asHtml(IMPORT_TEXTS.reasons.notAnItem('Category'))}`,
    ]);
    expect(await items('northwind'), 'a preview writes no item').to.deep.equal(before);

    const done = await confirm(admin, preview.text, 200);
    expect(noticeOf(done.text)).to.equal(IMPORT_TEXTS.imported(2, 0));
    const after = await items('northwind');
    expect(after.filter((i) => !seededNames.includes(i.name)).map(({ updated_at: _u, ...rest }) => rest)).to.deep.equal([
      { name: 'Boiler service', description: 'Annual boiler service, parts extra', sku: 'SV-100', kind: 'service', unit_price: '1250.5000', taxable: true },
      { name: 'Filter cartridge', description: 'Replacement filter', sku: 'PR-1', kind: 'product', unit_price: '12.0000', taxable: true },
    ]);

    // The same confirm again, and the same file again in the other encodings and as the report export.
    const again = await confirm(admin, preview.text, 200);
    expect(noticeOf(again.text)).to.equal(IMPORT_TEXTS.alreadyImported);
    for (const file of ['products-utf8-bom.csv', 'products-utf16le.csv', 'products-utf16be.csv', 'products-windows1252.csv', 'product-service-list-report.csv']) {
      const second = await upload(admin, { name: file, bytes: fs.readFileSync(path.join(FIXTURES, file)) }, 200);
      expect(countsOf(second.text), file).to.deep.include({ 'to-create': 0, 'to-update': 0, unchanged: 2 });
      expect(second.text).to.contain(asHtml(IMPORT_TEXTS.nothingToDo));
      expect(second.text, 'nothing to confirm').to.not.contain('id="confirm-import-form"');
    }
    expect(await items('northwind'), 'nothing changed, not even updated_at').to.deep.equal(after);
  });

  it('updates only what changed, from an .xlsx of the report export', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const first = await upload(admin, { name: 'products.xlsx', bytes: await xlsx([PAGE_HEADER, ...PAGE_ROWS]) }, 200);
    expect(countsOf(first.text)).to.deep.include({ 'to-create': 2, rejected: 3 });
    await confirm(admin, first.text, 200);
    const report = await xlsx([['Product/Service List'], ['Northwind'], [], ['Product/Service', 'Type', 'Price', 'Taxable'], ['Boiler service', 'Service', 1300, 'Yes'], ['Filter cartridge', 'Non-inventory', 12, 'Yes'], [], ['Tuesday, December 1, 2026 10:30 AM GMT-08:00']]);
    const second = await upload(admin, { name: 'report.xlsx', bytes: report }, 200);
    expect(countsOf(second.text)).to.deep.equal({ 'to-create': 0, 'to-update': 1, unchanged: 1, rejected: 0 });
    expect(sectionRows(second.text, 'to-update')).to.deep.equal(['5|Boiler service|price: 1250.5 → 1300']);
    const done = await confirm(admin, second.text, 200);
    expect(noticeOf(done.text)).to.equal(IMPORT_TEXTS.imported(0, 1));
    const boiler = (await items('northwind')).find((i) => i.name === 'Boiler service');
    expect(boiler?.unit_price).to.equal('1300.0000');
    expect(boiler?.sku, 'a column the report lacks is left alone').to.equal('SV-100');
  });

  it('refuses another account\'s import and unknown ids (404), importing nothing', async () => {
    const northwind = await agentFor(suite.world, 'northwindAdmin');
    const preview = await upload(northwind, { name: 'products.csv', bytes: fs.readFileSync(path.join(FIXTURES, 'products-utf8.csv')) }, 200);
    const action = /action="([^"]+\/confirm)"/.exec(preview.text)?.[1] ?? '';
    const bluebird = await agentFor(suite.world, 'bluebirdAdmin');
    const token = formToken((await bluebird.get(IMPORT).expect(200)).text, 'upload-form');
    const refused = await bluebird.post(action).type('form').send({ _csrf: token }).expect(404);
    expect(noticeOf(refused.text)).to.equal(asHtml(IMPORT_TEXTS.importGone));
    await bluebird.post(`${IMPORT}/abc/confirm`).type('form').send({ _csrf: token }).expect(404);
    await bluebird.post(`${IMPORT}/99999999999999999999/confirm`).type('form').send({ _csrf: token }).expect(404);
    expect((await items('bluebird')).filter((i) => ['Boiler service', 'Filter cartridge'].includes(i.name))).to.deep.equal([]);
    expect((await items('northwind')).map((i) => i.name)).to.deep.equal(seededNames);
    // Northwind's import is still there to confirm.
    await confirm(northwind, preview.text, 200);
  });

  it('enforces CSRF on upload and confirm (403), importing nothing', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const file = { name: 'products.csv', bytes: fs.readFileSync(path.join(FIXTURES, 'products-utf8.csv')) };
    const refused = await upload(admin, file, 403, 'forged');
    expect(noticeOf(refused.text)).to.equal(asHtml(IMPORT_TEXTS.formExpired));
    expect(await suite.world.knex('qbo_product_imports').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
    const preview = await upload(admin, file, 200);
    const action = /action="([^"]+\/confirm)"/.exec(preview.text)?.[1] ?? '';
    await admin.post(action).type('form').send({}).expect(403);
    const other = await agentFor(suite.world, 'northwindAdmin');
    await admin.post(action).type('form').send({ _csrf: formToken((await other.get(IMPORT).expect(200)).text, 'upload-form') }).expect(403);
    expect((await items('northwind')).map((i) => i.name)).to.deep.equal(seededNames);
  });

  const BAD_FILES: [string, () => Promise<{ name: string; bytes: Buffer }>, number, string][] = [
    ['a PDF', async () => ({ name: 'products.pdf', bytes: Buffer.from('%PDF-1.4 ...') }), 422, IMPORT_TEXTS.problems.wrongType],
    ['an old .xls', async () => ({ name: 'products.xls', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) }), 422, IMPORT_TEXTS.problems.wrongType],
    ['an empty file', async () => ({ name: 'products.csv', bytes: Buffer.alloc(0) }), 422, IMPORT_TEXTS.problems.empty],
    ['a client list (wrong headers)', async () => ({ name: 'clients.csv', bytes: Buffer.from('Customer,Email,Phone\r\nAcme,a@acme.test,1\r\n') }), 422, IMPORT_TEXTS.problems.noHeader],
    ['BOM-less UTF-16', async () => ({ name: 'products.csv', bytes: Buffer.from('Product/Service Name,SKU\r\nA,1\r\n', 'utf16le') }), 422, IMPORT_TEXTS.problems.badEncoding],
    ['an .xlsx with a formula', async () => ({ name: 'products.xlsx', bytes: await xlsx([['Product/Service Name', 'Sales Price / Rate'], ['Widget', { formula: 'HYPERLINK("http://x.test","1")', result: 1 }]]) }), 422, IMPORT_TEXTS.problems.formula('B2')],
    ['a broken .xlsx', async () => ({ name: 'products.xlsx', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]) }), 422, IMPORT_TEXTS.problems.unreadableXlsx],
    ['an oversized file', async () => ({ name: 'products.csv', bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 64 * 1024, 0x41) }), 413, IMPORT_TEXTS.problems.tooLarge(MAX_UPLOAD_BYTES / (1024 * 1024))],
  ];
  for (const [what, make, status, message] of BAD_FILES) {
    it(`answers ${what} with a clear message on the page (${status}), importing nothing`, async () => {
      const admin = await agentFor(suite.world, 'northwindAdmin');
      const refused = await upload(admin, await make(), status);
      expect(noticeOf(refused.text)).to.equal(asHtml(message));
      expect(refused.text).to.contain('<input type="file" id="import-file"');
      expect(refused.text).to.match(/id="import-file"[^>]*aria-invalid="true"/);
      expect(await suite.world.knex('qbo_product_imports').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
      expect((await items('northwind')).map((i) => i.name)).to.deep.equal(seededNames);
    });
  }

  it('answers a post without a file (400) and a non-multipart post (403: no form token can be read)', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const noFile = await upload(admin, null, 400);
    expect(noticeOf(noFile.text)).to.equal(asHtml(IMPORT_TEXTS.problems.noFile));
    const token = formToken((await admin.get(IMPORT).expect(200)).text, 'upload-form');
    await admin.post(IMPORT).type('form').send({ _csrf: token }).expect(403);
  });

  it('shows names with HTML escaped and rejects them, never running them', async () => {
    const admin = await agentFor(suite.world, 'northwindAdmin');
    const csv = 'Product/Service Name,Sales Price / Rate\r\n<img src=x onerror=alert(1)>,1\r\n<b>Bold</b> pipe,2\r\nPlain & simple,3\r\n';
    const preview = await upload(admin, { name: '<script>alert(1)</script>.csv', bytes: Buffer.from(csv) }, 200);
    expect(preview.text).to.not.contain('<img src=x').and.not.contain('<b>Bold').and.not.contain('<script>alert');
    expect(sectionRows(preview.text, 'rejected')).to.deep.equal([
      `2|${asHtml('<img src=x onerror=alert(1)>')}|${asHtml(IMPORT_TEXTS.reasons.nameMarkup)}`,
      `3|${asHtml('<b>Bold</b> pipe')}|${asHtml(IMPORT_TEXTS.reasons.nameMarkup)}`,
    ]);
    expect(sectionRows(preview.text, 'to-create')).to.deep.equal([`4|${asHtml('Plain & simple')}|Service, price 3, not taxable`]);
  });

  it('imports nothing when one item of the file fails to save (one transaction)', async () => {
    const world = suite.world;
    const real = world.work.host.work.items;
    let creates = 0;
    const failing = {
      ...(real.unitPriceDecimals === undefined ? {} : { unitPriceDecimals: real.unitPriceDecimals }),
      findByName: real.findByName.bind(real),
      update: real.update.bind(real),
      create: async (...args: Parameters<typeof real.create>) => {
        creates += 1;
        if (creates === 2) throw new Error('the database went away');
        return real.create(...args);
      },
    };
    const service = new ProductImportService(world.knex, new ProductImportRepository(world.knex), () => failing, () => new Date());
    const { importId } = await service.preview(world.accounts.northwind, 'p.csv', [{ row: 2, name: 'First' }, { row: 3, name: 'Second' }]);
    const error = await service.confirm(world.accounts.northwind, importId).then(() => null, (e: Error) => e);
    expect(error?.message).to.equal('the database went away');
    expect((await items('northwind')).map((i) => i.name)).to.deep.equal(seededNames);
    creates = 10;
    expect(await service.confirm(world.accounts.northwind, importId)).to.deep.equal({ outcome: 'imported', created: 2, updated: 0 });
  });
});
