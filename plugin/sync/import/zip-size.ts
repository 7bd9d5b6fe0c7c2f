import zlib from 'node:zlib';

/**
 * How much an .xlsx (a zip) unpacks to, measured before any spreadsheet library opens it: a 2 MB upload can
 * unpack to gigabytes (a "zip bomb"), and exceljs unpacks everything into memory. Each entry is inflated with
 * a cap on its output, so neither a lying size in the zip's directory nor a bomb costs more than the budget.
 */
export type ZipSize = { ok: true; bytes: number } | { ok: false; problem: 'tooLarge' | 'unreadable' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;
const ZIP64 = 0xffffffff;

function endOfCentralDirectory(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i -= 1) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

export function unpackedZipSize(bytes: Uint8Array, maxBytes: number): ZipSize {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unreadable: ZipSize = { ok: false, problem: 'unreadable' };
  const end = endOfCentralDirectory(buf);
  if (end < 0) return unreadable;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) return { ok: false, problem: 'tooLarge' };
  let total = 0;
  try {
    for (let n = 0; n < count; n += 1) {
      if (buf.readUInt32LE(at) !== CENTRAL) return unreadable;
      const method = buf.readUInt16LE(at + 10);
      const compressed = buf.readUInt32LE(at + 20);
      const declared = buf.readUInt32LE(at + 24);
      const local = buf.readUInt32LE(at + 42);
      at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
      // QuickBooks' and Excel's exports are far below 4 GB: zip64 entries are not read.
      if (compressed === ZIP64 || declared === ZIP64 || local === ZIP64) return unreadable;
      if (total + declared > maxBytes) return { ok: false, problem: 'tooLarge' };
      if (buf.readUInt32LE(local) !== LOCAL) return unreadable;
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressed);
      if (method === 0) total += data.length;
      else if (method === 8) total += zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes - total) }).length;
      else return unreadable;
      if (total > maxBytes) return { ok: false, problem: 'tooLarge' };
    }
  } catch (err) {
    // Node refuses to inflate past maxOutputLength with ERR_BUFFER_TOO_LARGE; anything else is a broken zip.
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, problem: 'tooLarge' };
    return unreadable;
  }
  return { ok: true, bytes: total };
}
