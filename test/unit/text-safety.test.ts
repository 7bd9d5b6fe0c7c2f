import { expect } from 'chai';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  findUnsafeCharacter,
  isSafeText,
  refuseUnsafeCharacters,
  stripUnsafeCharacters,
  stripUnsafeCharactersDeep,
  UnsafeTextError,
} from '../../plugin/sync/text-safety';

/** Characters XML 1.0 (QuickBooks) or PostgreSQL refuse, plus DEL and C1 controls. */
const UNSAFE_SAMPLES = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\ufffe', '\uffff', '\ud800', '\udfff'];
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

describe('text safety: what the plugin stores or sends to QuickBooks', () => {
  it('finds NUL and every other refused character, with its position and a readable name', () => {
    expect(findUnsafeCharacter('Acme\u0000 Ltd')).to.deep.equal({ index: 4, codePoint: 0, label: 'U+0000' });
    for (const c of UNSAFE_SAMPLES) expect(isSafeText(`a${c}b`), JSON.stringify(c)).to.equal(false);
    expect(findUnsafeCharacter('x\ud800')).to.deep.include({ index: 1, label: 'U+D800' });
  });

  it('keeps ordinary text, accents, emoji (surrogate pairs) and, in multi-line text, tabs and line breaks', () => {
    for (const s of ['Acme Plumbing', 'Zoë & Søn, Ltd.', 'Café №5 — “quoted”', 'Pipes 🔧 and more', 'line 1\nline 2\r\n\tindented', '']) {
      expect(isSafeText(s), s).to.equal(true);
      expect(stripUnsafeCharacters(s)).to.deep.equal({ text: s, removed: 0 });
    }
  });

  it('single-line text (names) turns each run of tabs and line breaks into one space', () => {
    expect(stripUnsafeCharacters('Acme\r\n\tPlumbing', 'single-line')).to.deep.equal({ text: 'Acme Plumbing', removed: 3 });
    expect(stripUnsafeCharacters('A\u0000\nB', 'single-line')).to.deep.equal({ text: 'A B', removed: 2 });
    expect(isSafeText('a\tb', 'single-line')).to.equal(false);
    expect(isSafeText('a\tb', 'multi-line')).to.equal(true);
  });

  it('strips NUL and control characters and counts them', () => {
    expect(stripUnsafeCharacters('A\u0000c\u0007me\u007f\ud800')).to.deep.equal({ text: 'Acme', removed: 4 });
  });

  it('refuses with an error naming the field and the character, never the text', () => {
    expect(refuseUnsafeCharacters('INV-1', 'Invoice number')).to.equal('INV-1');
    try {
      refuseUnsafeCharacters('secret\u0000value', 'Invoice number');
      expect.fail('no error');
    } catch (error) {
      expect(error).to.be.instanceOf(UnsafeTextError);
      const e = error as UnsafeTextError;
      expect(e.message).to.contain('Invoice number').and.contain('U+0000').and.contain('position 7');
      expect(e.message).not.to.contain('secret');
    }
  });

  it('cleans every string and key of a payload or jsonb value, leaving numbers, Decimals, dates and null alone', () => {
    const when = new Date('2026-03-01T00:00:00Z');
    const amount = new Decimal('12.34');
    const input = { DisplayName: 'Ac\u0000me', Notes: 'a\nb', Line: [{ Description: 'x\u0001', Amount: 1.5, Qty: amount }], ['k\u0000']: null, at: when, ok: true };
    const { value, removed } = stripUnsafeCharactersDeep(input);
    expect(value).to.deep.equal({ DisplayName: 'Acme', Notes: 'a\nb', Line: [{ Description: 'x', Amount: 1.5, Qty: amount }], k: null, at: when, ok: true });
    expect(value.Line[0]?.Qty).to.equal(amount);
    expect(removed).to.equal(3);
    expect(input.DisplayName, 'the input is not changed').to.equal('Ac\u0000me');
    // What PostgreSQL would refuse in jsonb is gone.
    expect(JSON.stringify(value)).not.to.contain('\\u0000');
  });

  it('property: the result is always safe, stripping twice changes nothing more, and safe text is kept as it is', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('single-line' as const, 'multi-line' as const), (text, mode) => {
        const once = stripUnsafeCharacters(text, mode);
        expect(isSafeText(once.text, mode)).to.equal(true);
        expect(stripUnsafeCharacters(once.text, mode)).to.deep.equal({ text: once.text, removed: 0 });
        expect(once.removed === 0).to.equal(isSafeText(text, mode));
        if (isSafeText(text, mode)) expect(once.text).to.equal(text);
        // Nothing but refused characters goes: every safe character survives in order.
        expect(once.text.replace(/ /g, '')).to.equal([...text].filter((c) => isSafeText(c, mode)).join('').replace(/ /g, ''));
      }),
    );
  });
});
