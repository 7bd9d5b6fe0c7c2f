import zlib from 'node:zlib';

/** A minimal zip writer for tests: deflated entries, optionally with a lying "uncompressed size". */
export interface ZipEntry {
  name: string;
  /** The entry's bytes, as pieces each repeated `times` (a gigabyte of spaces without a gigabyte of memory). */
  data: Buffer | { piece: Buffer; times: number }[];
  /** The size written into the zip's headers (default: the real one). */
  declaredSize?: number;
}

/**
 * Pieces deflated one by one with a full flush (each starts afresh and ends byte-aligned, not final), so the
 * compressed bytes of a repeated piece can simply be repeated; an empty final block closes the stream.
 */
function deflatePieces(pieces: { piece: Buffer; times: number }[]): { compressed: Buffer; size: number; crc: number } {
  const out: Buffer[] = [];
  let size = 0;
  let crc = 0;
  for (const { piece, times } of pieces) {
    const deflated = zlib.deflateRawSync(piece, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
    for (let i = 0; i < times; i += 1) {
      out.push(deflated);
      crc = zlib.crc32(piece, crc);
    }
    size += piece.length * times;
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0)));
  return { compressed: Buffer.concat(out), size, crc };
}

export function buildZip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { compressed, size: realSize, crc } = deflatePieces(Buffer.isBuffer(entry.data) ? [{ piece: entry.data, times: 1 }] : entry.data);
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? realSize;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, compressed);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/**
 * A one-sheet .xlsx written by hand: the header row, then `padBytes` of spaces inside the sheet (a zip bomb
 * when large: spaces deflate about 1,000 to 1), then `rows` as inline strings.
 */
export function buildXlsx(options: { rows: string[][]; padBytes?: number; declaredSheetSize?: number }): Buffer {
  const cell = (text: string, ref: string) => `<c r="${ref}" t="inlineStr"><is><t>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t></is></c>`;
  const rowsXml = options.rows.map((row, r) => `<row r="${r + 1}">${row.map((text, c) => cell(text, `${String.fromCharCode(65 + c)}${r + 1}`)).join('')}</row>`).join('');
  const mb = 1024 * 1024;
  const pad = options.padBytes ?? 0;
  const sheet = [
    { piece: Buffer.from(`${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`), times: 1 },
    { piece: Buffer.alloc(mb, 0x20), times: Math.floor(pad / mb) },
    { piece: Buffer.alloc(pad % mb, 0x20), times: 1 },
    { piece: Buffer.from(`${rowsXml}</sheetData></worksheet>`), times: 1 },
  ];
  return buildZip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(`${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(`${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(`${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, ...(options.declaredSheetSize === undefined ? {} : { declaredSize: options.declaredSheetSize }) },
  ]);
}
