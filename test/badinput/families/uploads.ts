import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { IMPORT_TEXTS } from '../../../plugin/messages';
import { MAX_UPLOAD_BYTES } from '../../../plugin/sync/import/product-file';
import { MAX_XLSX_UNPACKED_BYTES } from '../../../plugin/sync/import/read-table';
import { buildXlsx } from '../../support/zip-builder';
import { expectClean, expectEscaped, expectMessage, expectNothingWritten, rowCounts } from '../checks';
import { badCase } from '../ledger';
import { MOUNT, csrfOf, type Answer, type BadInputWorld } from '../world';

const IMPORT = `${MOUNT}/import/products`;
const HEADER = 'Product/Service Name,Sales Description,SKU,Type,Sales Price / Rate,Taxable';
const MB = 1024 * 1024;
const csv = (...rows: string[]): Buffer => Buffer.from(`${[HEADER, ...rows].join('\r\n')}\r\n`);

async function xlsxWithFormula(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Products');
  sheet.addRow(['Product/Service Name', 'Sales Price / Rate']);
  sheet.addRow(['Widget', { formula: 'cmd|\' /C calc\'!A0', result: 1 }]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface Upload {
  /** The file part, or none (a form without a file). */
  file: { name: string; bytes: Buffer; type?: string } | null;
  /** Send this raw body with this content type instead of a multipart form. */
  raw?: { contentType: string; body: Buffer };
  /** Leave the form's CSRF token out. */
  noToken?: boolean;
}

async function upload(w: BadInputWorld, what: Upload): Promise<Answer> {
  const admin = w.clients.northwindAdmin;
  const page = await admin.get(IMPORT);
  expect(page.status, 'import page').to.equal(200);
  if (what.raw) return admin.send('POST', IMPORT, what.raw.body, { 'content-type': what.raw.contentType });
  const form = new FormData();
  if (!what.noToken) form.append('_csrf', csrfOf(page.text, 'upload-form'));
  if (what.file) form.append('file', new Blob([what.file.bytes], { type: what.file.type ?? 'application/octet-stream' }), what.file.name);
  return admin.send('POST', IMPORT, form);
}

interface RefusedUpload {
  kind: string;
  make: () => Promise<Upload>;
  status: number;
  message: string;
}

const REFUSED: RefusedUpload[] = [
  { kind: 'wrong headers', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.from('Item,Cost\r\nWidget,1\r\n') } }), status: 422, message: IMPORT_TEXTS.problems.noHeader },
  { kind: 'headers only', make: async () => ({ file: { name: 'products.csv', bytes: csv() } }), status: 422, message: IMPORT_TEXTS.problems.noRows },
  { kind: 'an empty file', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.alloc(0) } }), status: 422, message: IMPORT_TEXTS.problems.empty },
  { kind: 'only blank lines and commas', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.from(',,,\r\n\r\n  ,\r\n') } }), status: 422, message: IMPORT_TEXTS.problems.empty },
  { kind: 'a PNG named .csv', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) } }), status: 422, message: IMPORT_TEXTS.problems.badEncoding },
  { kind: 'BOM-less UTF-16', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.from(`${HEADER}\r\nWidget,,,,1,No\r\n`, 'utf16le') } }), status: 422, message: IMPORT_TEXTS.problems.badEncoding },
  { kind: 'control bytes in text', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.concat([csv('Widget,,,,1,No'), Buffer.from([0x01, 0x02, 0x1b])]) } }), status: 422, message: IMPORT_TEXTS.problems.badEncoding },
  { kind: 'UTF-8 BOM with invalid bytes', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv('Widget,,,,1,No'), Buffer.from([0xc3, 0x28])]) } }), status: 422, message: IMPORT_TEXTS.problems.badEncoding },
  { kind: 'an unclosed quote', make: async () => ({ file: { name: 'products.csv', bytes: csv('"Widget,,,,1,No') } }), status: 422, message: IMPORT_TEXTS.problems.badEncoding },
  { kind: 'a file over 2 MB', make: async () => ({ file: { name: 'products.csv', bytes: Buffer.concat([csv(), Buffer.alloc(MAX_UPLOAD_BYTES + 64 * 1024, 0x41)]) } }), status: 413, message: IMPORT_TEXTS.problems.tooLarge(MAX_UPLOAD_BYTES / MB) },
  {
    kind: 'more than 5,000 rows',
    make: async () => ({ file: { name: 'products.csv', bytes: csv(...Array.from({ length: 5001 }, (_, i) => `Item ${i},,,,1,No`)) } }),
    status: 422,
    message: IMPORT_TEXTS.problems.tooManyRows(5000),
  },
  { kind: 'an .xlsx with a formula', make: async () => ({ file: { name: 'products.xlsx', bytes: await xlsxWithFormula() } }), status: 422, message: IMPORT_TEXTS.problems.formula('B2') },
  {
    kind: 'a zip bomb .xlsx (1 GB in about 1 MB)',
    make: async () => ({ file: { name: 'products.xlsx', bytes: buildXlsx({ rows: [['Product/Service Name'], ['Widget']], padBytes: 1024 * MB }) } }),
    status: 422,
    message: IMPORT_TEXTS.problems.unpacksTooLarge(MAX_XLSX_UNPACKED_BYTES / MB),
  },
  {
    kind: 'a zip bomb .xlsx whose directory understates its size',
    make: async () => ({ file: { name: 'products.xlsx', bytes: buildXlsx({ rows: [['Product/Service Name'], ['Widget']], padBytes: 256 * MB, declaredSheetSize: 4096 }) } }),
    status: 422,
    message: IMPORT_TEXTS.problems.unpacksTooLarge(MAX_XLSX_UNPACKED_BYTES / MB),
  },
  { kind: 'a truncated .xlsx', make: async () => ({ file: { name: 'products.xlsx', bytes: buildXlsx({ rows: [['Product/Service Name'], ['Widget']] }).subarray(0, 300) } }), status: 422, message: IMPORT_TEXTS.problems.unreadableXlsx },
  { kind: 'an .xlsx renamed .csv', make: async () => ({ file: { name: 'products.csv', bytes: buildXlsx({ rows: [['Product/Service Name'], ['Widget']] }) } }), status: 422, message: IMPORT_TEXTS.problems.wrongType },
  { kind: 'a CSV renamed .xlsx', make: async () => ({ file: { name: 'products.xlsx', bytes: csv('Widget,,,,1,No') } }), status: 422, message: IMPORT_TEXTS.problems.wrongType },
  { kind: 'a .pdf', make: async () => ({ file: { name: 'products.pdf', bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), type: 'application/pdf' } }), status: 422, message: IMPORT_TEXTS.problems.wrongType },
  { kind: 'an .exe with CSV inside', make: async () => ({ file: { name: 'products.csv.exe', bytes: csv('Widget,,,,1,No'), type: 'application/x-msdownload' } }), status: 422, message: IMPORT_TEXTS.problems.wrongType },
  { kind: 'a file without a name or bytes', make: async () => ({ file: { name: '', bytes: Buffer.alloc(0) } }), status: 400, message: IMPORT_TEXTS.problems.noFile },
  { kind: 'a form without a file', make: async () => ({ file: null }), status: 400, message: IMPORT_TEXTS.problems.noFile },
  { kind: 'a form without its token', make: async () => ({ file: { name: 'products.csv', bytes: csv('Widget,,,,1,No') }, noToken: true }), status: 403, message: IMPORT_TEXTS.formExpired },
  { kind: 'a raw text/csv body (not a form)', make: async () => ({ file: null, raw: { contentType: 'text/csv', body: csv('Widget,,,,1,No') } }), status: 403, message: IMPORT_TEXTS.formExpired },
  { kind: 'a JSON body', make: async () => ({ file: null, raw: { contentType: 'application/json', body: Buffer.from('{"file":"x"}') } }), status: 403, message: IMPORT_TEXTS.formExpired },
  {
    kind: 'a multipart body with a broken boundary',
    make: async () => ({ file: null, raw: { contentType: 'multipart/form-data; boundary=xyz', body: Buffer.from('--abc\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end') } }),
    status: 403,
    message: IMPORT_TEXTS.formExpired,
  },
];

/** Files that are read, with the hostile rows rejected by reason in the preview and nothing imported yet. */
const PREVIEWED: { kind: string; file: { name: string; bytes: Buffer; type?: string }; reasons: string[]; hostile: string[] }[] = [
  {
    kind: 'formula-like names (CSV injection)',
    file: { name: 'products.csv', bytes: csv('"=HYPERLINK(""http://evil.test"",""x"")",,,,1,No', '=1+1,,,,2,No', 'Plain,,,,3,No') },
    reasons: [IMPORT_TEXTS.reasons.nameFormula],
    hostile: ['=HYPERLINK("http://evil.test","x")'],
  },
  {
    kind: 'HTML and script names',
    file: { name: 'products.csv', bytes: csv('<script>window.__pwned=1</script>,,,,1,No', '"<img src=x onerror=""window.__pwned=1"">",,,,2,No', 'Plain,,,,3,No') },
    reasons: [IMPORT_TEXTS.reasons.nameMarkup],
    hostile: ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">'],
  },
  {
    kind: 'names QuickBooks refuses (colon, tab, quote, 1,000 characters)',
    file: { name: 'products.csv', bytes: csv('Acme: Widget,,,,1,No', '"Tab\tWidget",,,,1,No', '"Say ""hi""",,,,1,No', `${'W'.repeat(1000)},,,,1,No`, 'Plain,,,,3,No') },
    reasons: [IMPORT_TEXTS.reasons.nameBadCharacter, IMPORT_TEXTS.reasons.nameTooLong],
    hostile: [],
  },
  {
    kind: 'zero, negative, huge and over-precise prices',
    file: { name: 'products.csv', bytes: csv('Free,,,,0,No', 'Minus,,,,-5,No', 'Paren,,,,(5),No', 'Five dp,,,,1.23456,No', 'Eight dp,,,,1.23456789,No', 'Words,,,,twelve,No', 'Plain,,,,3,No') },
    reasons: [IMPORT_TEXTS.reasons.negativePrice, IMPORT_TEXTS.reasons.badPrice, IMPORT_TEXTS.reasons.tooManyDecimals, IMPORT_TEXTS.reasons.priceTooPrecise('1.23456', 4)],
    hostile: [],
  },
  {
    kind: 'a hostile file name and content type',
    file: { name: '../../<script>window.__pwned=1</script>\u0000.csv', bytes: csv('Plain,,,,3,No'), type: 'image/svg+xml' },
    reasons: [],
    hostile: ['<script>window.__pwned=1</script>'],
  },
];

/** Names QuickBooks allows that are still hostile to a page or a database: imported exactly on confirm. */
const VALID_HOSTILE_NAMES = [`O'Brien's Widget`, 'Back\\slash \\n', 'Pipes 🚰 & Co', 'شركة \u202Eevil.exe\u202C', `Name ${'x'.repeat(94)}`, "Robert'); DROP TABLE items;--"];

export function uploadCases(world: () => BadInputWorld): void {
  describe('malformed CSV and XLSX uploads to the products import', () => {
    badCase('uploads: hostile names QuickBooks allows are imported exactly on confirm, and once only', async () => {
      const w = world();
      const admin = w.clients.northwindAdmin;
      const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
      const preview = await upload(w, { file: { name: 'products.csv', bytes: csv(...VALID_HOSTILE_NAMES.map((n, i) => `${quoted(n)},${quoted(`${n} description`)},,Service,${i + 1}.2345,No`)) } });
      expectClean(w, preview, 'valid hostile preview');
      expect(preview.status).to.equal(200);
      const confirm = /<form[^>]*id="confirm-import-form"[^>]*action="([^"]+)"/.exec(preview.text) ?? /action="([^"]+)"[^>]*id="confirm-import-form"/.exec(preview.text);
      expect(confirm?.[1], 'a confirm form').to.be.a('string');
      const done = await admin.postForm(confirm?.[1] ?? '', { _csrf: csrfOf(preview.text, 'confirm-import-form') });
      expectClean(w, done, 'valid hostile confirm');
      expect(done.status).to.equal(200);
      const items = (await w.knex('items').where({ account_id: w.accounts.northwind }).whereIn('name', VALID_HOSTILE_NAMES).select('name', 'description', 'unit_price')) as { name: string; description: string; unit_price: string }[];
      expect(items.map((i) => i.name).sort(), 'every name stored exactly').to.deep.equal([...VALID_HOSTILE_NAMES].sort());
      for (const item of items) {
        expect(item.description).to.equal(`${item.name} description`);
        expect(item.unit_price).to.equal(`${VALID_HOSTILE_NAMES.indexOf(item.name) + 1}.2345`);
      }
      const again = await admin.postForm(confirm?.[1] ?? '', { _csrf: csrfOf(preview.text, 'confirm-import-form') });
      expectClean(w, again, 'confirm again');
      expectMessage(again, IMPORT_TEXTS.alreadyImported, 'confirm again');
      const page = await admin.get('/items');
      expectClean(w, page, 'items page');
      for (const name of VALID_HOSTILE_NAMES) expectEscaped(page, name, 'items page');
    });

    for (const bad of REFUSED) {
      badCase(`uploads: ${bad.kind}`, async () => {
        const w = world();
        const label = `upload ${bad.kind}`;
        const answer = await expectNothingWritten(w.knex, label, async () => upload(w, await bad.make()));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(bad.status);
        expectMessage(answer, bad.message, label);
      });
    }
    for (const file of PREVIEWED) {
      badCase(`uploads: ${file.kind} are previewed with reasons, nothing imported`, async () => {
        const w = world();
        const label = `upload ${file.kind}`;
        const items = JSON.stringify(await w.knex('items').orderBy('id'));
        const before = await rowCounts(w.knex);
        const answer = await upload(w, { file: file.file });
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(200);
        for (const reason of file.reasons) expectMessage(answer, reason, label);
        for (const value of file.hostile) expectEscaped(answer, value, label);
        expect(answer.text, `${label}: no script tag from the file`).to.not.match(/<script>window|<img src=x/);
        expect(JSON.stringify(await w.knex('items').orderBy('id')), `${label}: items unchanged until confirmed`).to.equal(items);
        // The preview itself is kept (one row), so it can be confirmed; nothing else is written.
        expect(await rowCounts(w.knex)).to.deep.equal({ ...before, qbo_product_imports: (before.qbo_product_imports ?? 0) + 1 });
      });
    }
  });
}
