import { expect } from 'chai';
import fc from 'fast-check';
import { normaliseCompanyName, normaliseEmail } from '../../plugin/sync/plan/normalise';

describe('sync plan: normaliseCompanyName', () => {
  const same: Array<[string, string, string]> = [
    ['case', 'ACME Plumbing', 'acme plumbing'],
    ['surrounding spaces', '  Acme Plumbing  ', 'Acme Plumbing'],
    ['repeated spaces', 'Acme    Plumbing', 'Acme Plumbing'],
    ['tabs, newlines and NBSP as spaces', 'Acme\t\n\u00A0Plumbing', 'Acme Plumbing'],
    ['"&" and "and"', 'Smith & Sons', 'Smith and Sons'],
    ['"&" without spaces', 'Smith&Sons', 'smith and sons'],
    ['"Inc." and "Inc"', 'Acme Inc.', 'Acme Inc'],
    ['"Co." and "Co"', 'Acme Co.', 'Acme Co'],
    ['"Ltd." and "Ltd"', 'Acme Ltd.', 'Acme Ltd'],
    ['comma before Inc', 'Acme, Inc.', 'Acme Inc'],
    ['initials', 'A.B.C. Roofing', 'ABC Roofing'],
    ['curly apostrophe', 'O\u2019Brien Electric', "O'Brien Electric"],
    ['curly double quotes', '\u201CBest\u201D Cleaning', '"Best" Cleaning'],
    ['en dash', 'Smith\u2013Jones', 'Smith-Jones'],
    ['em dash', 'Smith\u2014Jones', 'Smith-Jones'],
    ['decomposed accent (NFC)', 'Cafe\u0301 Ltd', 'Caf\u00E9 Ltd'],
    ['zero-width space', 'Acme\u200B Plumbing', 'Acme Plumbing'],
    ['capital sharp s (found by the idempotence property)', 'STRA\u1E9EE', 'Strasse'],
    ['sharp s', 'Straße', 'STRASSE'],
    ['upper-case accents', '\u00C9COLE DU NORD', '\u00E9cole du nord'],
  ];
  for (const [what, a, b] of same) {
    it(`treats ${what} as the same name`, () => {
      expect(normaliseCompanyName(a)).to.equal(normaliseCompanyName(b));
      expect(normaliseCompanyName(a)).to.not.equal(null);
    });
  }

  const different: Array<[string, string, string]> = [
    ['accents are kept', 'Café Ltd', 'Cafe Ltd'],
    ['umlauts are kept', 'Müller GmbH', 'Muller GmbH'],
    ['different words', 'Acme Plumbing', 'Acme Heating'],
    ['decimal numbers', 'Route 1.5 Diner', 'Route 15 Diner'],
    ['hyphen is not a space', 'Smith-Jones', 'Smith Jones'],
  ];
  for (const [what, a, b] of different) {
    it(`keeps apart: ${what}`, () => {
      expect(normaliseCompanyName(a)).to.not.equal(normaliseCompanyName(b));
    });
  }

  for (const blank of [null, undefined, '', '   ', '\t\n', '\u00A0', '.', ', .', '\u200B', '\u0000']) {
    it(`gives null for the blank ${JSON.stringify(blank)}`, () => {
      expect(normaliseCompanyName(blank)).to.equal(null);
    });
  }

  it('keeps hostile names as text (quotes, backslashes, HTML, emoji, right-to-left)', () => {
    expect(normaliseCompanyName('<b>Acme</b> "Q" \\ 🚀 \u05E9\u05DC\u05D5\u05DD')).to.equal('<b>acme</b> "q" \\ 🚀 \u05E9\u05DC\u05D5\u05DD');
    expect(normaliseCompanyName('x'.repeat(1000))).to.have.length(1000);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const once = normaliseCompanyName(s);
        expect(once === null ? null : normaliseCompanyName(once)).to.equal(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on arbitrary code points too', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const once = normaliseCompanyName(s);
        expect(once === null ? null : normaliseCompanyName(once)).to.equal(once);
      }),
      { numRuns: 2000 },
    );
  });

  const word = fc.stringMatching(/^[A-Za-z\u00C0-\u00FF]{1,8}$/u);
  it('equates case, space and quote variants of the same words', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.nat(3), (words, variant) => {
        const plain = words.join(" O'");
        const spaced = `  ${words.map((w) => (variant % 2 === 0 ? w.toUpperCase() : w.toLowerCase())).join('   O\u2019')} `;
        expect(normaliseCompanyName(spaced)).to.equal(normaliseCompanyName(plain));
      }),
    );
  });

  it('never folds an accent: a name with é differs from the same name with e', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(normaliseCompanyName(`${a}é${b}`)).to.not.equal(normaliseCompanyName(`${a}e${b}`));
      }),
    );
  });
});

describe('sync plan: normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Jane.Doe@Example.COM ')).to.equal('jane.doe@example.com');
  });
  for (const blank of [null, undefined, '', '  ', '\u200B']) {
    it(`gives null for the blank ${JSON.stringify(blank)}`, () => {
      expect(normaliseEmail(blank)).to.equal(null);
    });
  }
  it('is idempotent and case-insensitive', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (e) => {
        expect(normaliseEmail(e.toUpperCase())).to.equal(normaliseEmail(e));
        expect(normaliseEmail(normaliseEmail(e))).to.equal(normaliseEmail(e));
      }),
    );
  });
});
