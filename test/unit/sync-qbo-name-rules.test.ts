import { expect } from 'chai';
import fc from 'fast-check';
import {
  QBO_LIMITS,
  TakenNames,
  chooseDisplayName,
  cleanQboEmail,
  cleanQboName,
  cleanQboText,
  cutToLength,
  quoteForLog,
  displayNameForClient,
  type QboNameField,
} from '../../plugin/sync/plan/qbo-name-rules';

const codes = (r: { warnings: Array<{ code: string }> }): string[] => r.warnings.map((w) => w.code);

describe('sync plan: QuickBooks name rules', () => {
  describe('cleanQboName', () => {
    const cases: Array<[string, string, string | null, string[]]> = [
      ['a plain name', 'Acme Plumbing', 'Acme Plumbing', []],
      ['a colon', 'Acme: West', 'Acme- West', ['forbidden_characters']],
      ['a tab', 'Acme\tWest', 'Acme West', ['forbidden_characters']],
      ['a newline', 'Acme\nWest', 'Acme West', ['forbidden_characters']],
      ['CR LF', 'Acme\r\nWest', 'Acme West', ['forbidden_characters']],
      ['a Unicode line separator', 'Acme\u2028West', 'Acme West', ['forbidden_characters']],
      ['NUL', 'Acme\u0000West', 'AcmeWest', ['control_characters']],
      ['a bell and an escape', '\u0007Acme\u001B', 'Acme', ['control_characters']],
      ['quotes and backslashes', 'He said "hi" \\o/ it\'s', 'He said "hi" \\o/ it\'s', []],
      ['HTML', '<script>alert("x")</script>', '<script>alert("x")</script>', []],
      ['emoji', 'Rocket 🚀 Co', 'Rocket 🚀 Co', []],
      ['right-to-left text', '\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627', '\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627', []],
      ['surrounding spaces', '  Acme  ', 'Acme', []],
      ['only spaces', '   ', null, []],
      ['only a colon', ':', '-', ['forbidden_characters']],
      ['only a newline', '\n', null, ['forbidden_characters']],
      ['a lone surrogate', 'A\uD800B', 'A\uFFFDB', []],
    ];
    for (const [what, input, value, warned] of cases) {
      it(`handles ${what}`, () => {
        const r = cleanQboName(input, 'DisplayName');
        expect(r.value).to.equal(value);
        expect(codes(r)).to.deep.equal(warned);
        for (const w of r.warnings) expect(w.detail).to.not.match(/\p{Cc}/u);
      });
    }

    it('cuts CompanyName at 100 on a code-point boundary and warns', () => {
      const long = `${'a'.repeat(99)}🚀🚀🚀`;
      const r = cleanQboName(long, 'CompanyName');
      expect(r.value).to.equal(`${'a'.repeat(99)}🚀`);
      expect(codes(r)).to.deep.equal(['too_long']);
      expect(r.warnings[0]?.detail).to.contain('QuickBooks allows 100');
    });

    it('cuts a 1,000-character name to each field\'s limit', () => {
      const name = 'N'.repeat(1000);
      for (const field of ['DisplayName', 'CompanyName', 'GivenName', 'FamilyName', 'Title', 'PrintOnCheckName'] as QboNameField[]) {
        const r = cleanQboName(name, field);
        expect(r.value).to.have.length(QBO_LIMITS[field]);
        expect(codes(r)).to.deep.equal(['too_long']);
      }
    });

    it('leaves no forbidden character, stays within the limit, and is idempotent (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 140 }), fc.constantFrom<QboNameField>('DisplayName', 'CompanyName', 'Title'), (s, field) => {
          const once = cleanQboName(s, field);
          if (once.value === null) return;
          expect(once.value).to.not.match(/[:\t\n\r\p{Cc}]/u);
          expect(Array.from(once.value).length).to.be.at.most(QBO_LIMITS[field]);
          expect(once.value).to.equal(once.value.trim());
          const twice = cleanQboName(once.value, field);
          expect(twice.value).to.equal(once.value);
          expect(twice.warnings).to.deep.equal([]);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('cleanQboText and cleanQboEmail', () => {
    it('keeps line breaks in notes but removes other control characters', () => {
      expect(cleanQboText('Gate code 12\r\nBack door\u0000', 'Notes', 2000, true)).to.deep.include({ value: 'Gate code 12\nBack door' });
    });
    it('flattens line breaks in a one-line field', () => {
      expect(cleanQboText('12 Main St\nUnit 3', 'BillAddr.Line1', 500).value).to.equal('12 Main St Unit 3');
    });
    it('cuts a phone to 30 characters', () => {
      expect(cleanQboText('1'.repeat(40), 'PrimaryPhone', QBO_LIMITS.Phone).value).to.have.length(30);
    });
    const emails: Array<[string, string | null, string[]]> = [
      [' jane@acme.com ', 'jane@acme.com', []],
      ['Jane@Acme.COM', 'Jane@Acme.COM', []],
      ['jane', null, ['invalid_email']],
      ['jane@acme', null, ['invalid_email']],
      ['jane doe@acme.com', null, ['invalid_email']],
      [`${'j'.repeat(95)}@acme.com`, null, ['invalid_email']],
      ['', null, []],
    ];
    for (const [input, value, warned] of emails) {
      it(`takes the email ${JSON.stringify(input.slice(0, 20))} as ${String(value)}`, () => {
        const r = cleanQboEmail(input);
        expect(r.value).to.equal(value);
        expect(codes(r)).to.deep.equal(warned);
      });
    }
  });

  describe('displayNameForClient', () => {
    it('uses the company name, up to 500 characters (not CompanyName\'s 100)', () => {
      const r = displayNameForClient({ companyName: 'C'.repeat(150), firstName: 'Jo', lastName: 'Lee', email: null });
      expect(r).to.deep.include({ name: 'C'.repeat(150), source: 'company', warnings: [] });
    });
    it('falls back to first and last name', () => {
      expect(displayNameForClient({ companyName: '  ', firstName: ' Jo ', lastName: 'Lee', email: 'jo@x.com' })).to.deep.include({ name: 'Jo Lee', source: 'person' });
      expect(displayNameForClient({ companyName: null, firstName: null, lastName: 'Lee', email: null })).to.deep.include({ name: 'Lee', source: 'person' });
    });
    it('then to the email', () => {
      const r = displayNameForClient({ companyName: null, firstName: '', lastName: null, email: 'jo@x.com' });
      expect(r).to.deep.include({ name: 'jo@x.com', source: 'email' });
      expect(codes(r)).to.deep.equal(['name_from_email']);
    });
    it('gives nothing when every part is blank', () => {
      expect(displayNameForClient({ companyName: ' ', firstName: '\t', lastName: null, email: '' })).to.deep.equal({ name: null, source: 'none', warnings: [] });
    });
  });

  describe('chooseDisplayName', () => {
    const taken = (): TakenNames => {
      const t = new TakenNames();
      t.add('Acme', { kind: 'customer', id: '1' });
      t.add('acme (2)', { kind: 'vendor' });
      t.add('Bolt Ltd (deleted)', { kind: 'inactive_customer', id: '7' });
      t.add('Jo Lee', { kind: 'employee' });
      return t;
    };

    it('keeps a free name', () => {
      expect(chooseDisplayName('Zed', taken())).to.deep.equal({ name: 'Zed', takenBy: null, warnings: [] });
    });
    it('compares case-insensitively and picks the lowest free suffix', () => {
      const r = chooseDisplayName('ACME', taken());
      expect(r.name).to.equal('ACME (3)');
      expect(r.takenBy).to.deep.equal({ kind: 'customer', id: '1' });
      expect(codes(r)).to.deep.equal(['name_suffixed']);
    });
    it('counts an inactive customer\'s name without " (deleted)"', () => {
      expect(chooseDisplayName('Bolt Ltd', taken())).to.deep.include({ name: 'Bolt Ltd (2)', takenBy: { kind: 'inactive_customer', id: '7' } });
    });
    it('counts employees and vendors', () => {
      expect(chooseDisplayName('jo lee', taken()).takenBy).to.deep.equal({ kind: 'employee' });
    });
    it('keeps a suffixed 500-character name within 500', () => {
      const t = new TakenNames();
      const long = 'L'.repeat(500);
      t.add(long, { kind: 'vendor' });
      const r = chooseDisplayName(long, t);
      expect(r.name).to.have.length(500);
      expect(r.name.endsWith(' (2)')).to.equal(true);
    });
    it('is stable, and never returns a taken name (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom('A', 'a', 'A (2)', 'a (3)', 'B', 'A (deleted)'), { maxLength: 6 }), fc.constantFrom('A', 'B', 'C'), (names, wanted) => {
          const build = (): TakenNames => {
            const t = new TakenNames();
            for (const n of names) t.add(n, { kind: 'vendor' });
            return t;
          };
          const r = chooseDisplayName(wanted, build());
          expect(build().has(r.name) && r.takenBy === null).to.equal(false);
          if (r.takenBy !== null) expect(build().has(r.name)).to.equal(false);
          expect(chooseDisplayName(wanted, build())).to.deep.equal(r);
        }),
      );
    });
  });

  it('cutToLength never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.nat(30), (s, n) => {
        const cut = cutToLength(s, n);
        expect(cut).to.not.match(/[\uD800-\uDBFF]$/u);
        expect(Array.from(cut).length).to.be.at.most(Math.max(n, 0));
      }),
    );
  });
});

describe('qbo-name-rules: text-safety is the last step of every cleaning', () => {
  it('removes the noncharacters U+FFFE/U+FFFF QuickBooks refuses (not control characters), with one warning', () => {
    const name = cleanQboName('Acme\uFFFF Co\u0007', 'DisplayName');
    expect(name.value).to.equal('Acme Co');
    expect(name.warnings.filter((w) => w.code === 'control_characters')).to.have.length(1);
    const notes = cleanQboText('one\uFFFE\ntwo\u0000', 'Notes', QBO_LIMITS.Notes, true);
    expect(notes.value).to.equal('one\ntwo');
    expect(notes.warnings.map((w) => w.code)).to.deep.equal(['control_characters']);
    expect(cleanQboEmail('a\uFFFF@b.test').value).to.equal('a@b.test');
    expect(quoteForLog('x\uFFFFy\u0000')).to.equal('"xy "');
  });
});
