import { expect } from 'chai';
import fc from 'fast-check';
import { csvCell, csvLine } from '../../plugin/web/csv-export';

describe('CSV export cells (RFC 4180, CSV injection neutralised)', () => {
  it('prefixes cells a spreadsheet would run as a formula with an apostrophe', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`).replace(/^"|"$/g, '').startsWith(`'${lead}`)).to.equal(true);
    expect(csvCell('=HYPERLINK("http://x","y")')).to.equal(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('quotes commas, quotes, line breaks and edge spaces, and leaves plain text and blanks alone', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('line\nbreak')).to.equal('"line\nbreak"');
    expect(csvCell(' padded ')).to.equal('" padded "');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(42)).to.equal('42');
    expect(csvLine(['a', null, '=b'])).to.equal(`a,,"'=b"\r\n`);
  });

  it('never lets a cell start with a formula character once a spreadsheet unquotes it', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const cell = csvCell(text);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(/^[=+\-@\t\r]/.test(unquoted)).to.equal(false);
      }),
    );
  });
});
