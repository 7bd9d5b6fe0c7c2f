import { expect } from 'chai';
import Decimal from 'decimal.js';
import { QboQuery, UnsafeQueryError, escapeQueryString } from '../../plugin/qbo/query';
import { pageThrough, rowsOfQueryResponse, totalCountOf, type QueryRunner } from '../../plugin/qbo/query-pager';
import { loadRecording, recordingsOfTopic } from '../support/recordings';

function statementOf(file: string): string {
  const statement = loadRecording(file).request.query?.['query'];
  if (typeof statement !== 'string') throw new Error(`${file} has no query`);
  return statement;
}

describe('QboQuery against the statements QuickBooks accepted and rejected', () => {
  const accepted = recordingsOfTopic('query-escaping').filter((r) => rowsOfQueryResponse(r.response.body).length > 0);
  const rejected = recordingsOfTopic('query-escaping-rejected').filter((r) => typeof r.request.query?.['query'] === 'string');

  it('covers the recorded names', () => {
    expect(accepted.length).to.be.at.least(5);
    expect(rejected.length).to.be.at.least(5);
  });

  for (const rec of accepted) {
    it(`builds exactly the statement QBO accepted in ${rec.file}, from the name QBO returned`, () => {
      const [row] = rowsOfQueryResponse(rec.response.body) as { DisplayName: string }[];
      const entity = rec.request.query?.['query'] === undefined ? '' : String(rec.request.query['query']).split(' ')[3] ?? '';
      const built = QboQuery.select(entity).where('DisplayName', '=', row?.DisplayName ?? '').toString();
      expect(built).to.equal(rec.request.query?.['query']);
    });
  }

  it("never builds any of the spellings QBO rejected for Amy's Bird Sanctuary", () => {
    const built = QboQuery.select('Customer').where('DisplayName', '=', "Amy's Bird Sanctuary").toString();
    for (const rec of rejected) expect(built, rec.file).to.not.equal(rec.request.query?.['query']);
    expect(built).to.equal(statementOf('query-escaping--2.json'));
  });

  it('reproduces the recorded filter, IN, paging and count statements', () => {
    expect(QboQuery.select('Vendor').where('Active', 'IN', [true, false]).toString()).to.equal(statementOf('query-filter--1.json'));
    expect(QboQuery.select('Customer').where('Id', 'IN', ['5', '6', '7', '8', '9', '10']).limit(2).from(5).toString()).to.equal(statementOf('query-paging--15.json'));
    expect(QboQuery.select('SalesReceipt').limit(1000).from(1).toString()).to.equal(statementOf('query-paging--1.json'));
    expect(QboQuery.count('Vendor').toString()).to.equal(statementOf('query-count--2.json'));
  });
});

describe('QboQuery escaping and safety', () => {
  it('escapes backslash before apostrophe so neither can end the literal', () => {
    expect(escapeQueryString("Amy's")).to.equal("Amy\\'s");
    expect(escapeQueryString('C:\\temp')).to.equal('C:\\\\temp');
    expect(escapeQueryString("\\'")).to.equal("\\\\\\'");
  });

  it('keeps an injection attempt inside one literal', () => {
    const q = QboQuery.select('Customer').where('DisplayName', '=', "x' AND Active = false --").toString();
    expect(q).to.equal("SELECT * FROM Customer WHERE DisplayName = 'x\\' AND Active = false --'");
  });

  it('supports every operator, AND, ORDERBY, STARTPOSITION and MAXRESULTS', () => {
    const q = QboQuery.select('Invoice')
      .where('TotalAmt', '>=', new Decimal('100.50'))
      .where('Balance', '>', 0)
      .where('TxnDate', '<', new Date('2026-01-31T00:00:00Z'))
      .where('DocNumber', '<=', '1010')
      .where('MetaData.LastUpdatedTime', '>', new Date('2026-01-01T00:00:00Z'))
      .where('CustomerRef', '=', '12')
      .where('PrivateNote', 'LIKE', '%work:%')
      .orderBy('MetaData.LastUpdatedTime', 'DESC')
      .limit(1000)
      .from(1001)
      .toString();
    expect(q).to.equal(
      "SELECT * FROM Invoice WHERE TotalAmt >= 100.5 AND Balance > 0 AND TxnDate < '2026-01-31T00:00:00.000Z' AND DocNumber <= '1010'" +
        " AND MetaData.LastUpdatedTime > '2026-01-01T00:00:00.000Z' AND CustomerRef = '12' AND PrivateNote LIKE '%work:%'" +
        ' ORDERBY MetaData.LastUpdatedTime DESC MAXRESULTS 1000 STARTPOSITION 1001',
    );
  });

  it('rejects unsafe identifiers, operators and values', () => {
    const attempts: (() => unknown)[] = [
      () => QboQuery.select('Customer; DROP'),
      () => QboQuery.select(''),
      () => QboQuery.select('Customer').where('DisplayName = 1 OR x', '=', 'a'),
      () => QboQuery.select('Customer').where("Name'", '=', 'a'),
      () => QboQuery.select('Customer').where('Name', 'OR' as never, 'a'),
      () => QboQuery.select('Customer').where('Name', 'IN', []),
      () => QboQuery.select('Customer').where('Name', '=', ['a']),
      () => QboQuery.select('Customer').where('Name', 'LIKE', 5),
      () => QboQuery.select('Customer').where('Name', '=', 'line\nbreak'),
      () => QboQuery.select('Customer').where('Balance', '>', Number.NaN),
      () => QboQuery.select('Customer').orderBy('Id; x'),
      () => QboQuery.select('Customer').orderBy('Id', 'SIDEWAYS' as never),
      () => QboQuery.select('Customer').limit(1001),
      () => QboQuery.select('Customer').from(0),
    ];
    for (const attempt of attempts) expect(attempt).to.throw(UnsafeQueryError);
  });

  it('does not change the query it was derived from', () => {
    const base = QboQuery.select('Item');
    base.where('Type', '=', 'Service');
    expect(base.toString()).to.equal('SELECT * FROM Item');
  });
});

describe('pageThrough', () => {
  function runnerOver(total: number, entity = 'Customer') {
    const statements: string[] = [];
    const runner: QueryRunner = {
      query(_realmId, statement) {
        statements.push(statement);
        const start = Number(/STARTPOSITION (\d+)/.exec(statement)?.[1]);
        const max = Number(/MAXRESULTS (\d+)/.exec(statement)?.[1]);
        const rows = Array.from({ length: Math.max(0, Math.min(max, total - start + 1)) }, (_, i) => ({ Id: String(start + i) }));
        // An empty page is the recorded empty shape: no list, no startPosition.
        const body = rows.length === 0 ? { QueryResponse: {}, time: 'x' } : { QueryResponse: { [entity]: rows, startPosition: start, maxResults: rows.length } };
        return Promise.resolve({ body });
      },
    };
    return { runner, statements };
  }

  async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const row of iterable) out.push(row);
    return out;
  }

  it('pages 1000 at a time in order until a short page', async () => {
    const { runner, statements } = runnerOver(2500);
    const rows = (await collect(pageThrough(runner, '1', QboQuery.select('Customer').where('Active', 'IN', [true, false])))) as { Id: string }[];
    expect(rows).to.have.length(2500);
    expect(rows.map((r) => Number(r.Id))).to.deep.equal(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(statements).to.deep.equal([
      'SELECT * FROM Customer WHERE Active IN (true, false) ORDERBY Id ASC MAXRESULTS 1000 STARTPOSITION 1',
      'SELECT * FROM Customer WHERE Active IN (true, false) ORDERBY Id ASC MAXRESULTS 1000 STARTPOSITION 1001',
      'SELECT * FROM Customer WHERE Active IN (true, false) ORDERBY Id ASC MAXRESULTS 1000 STARTPOSITION 2001',
    ]);
  });

  it('asks once more after an exactly full last page and stops on the empty answer', async () => {
    const { runner, statements } = runnerOver(2000);
    expect(await collect(pageThrough(runner, '1', QboQuery.select('Customer')))).to.have.length(2000);
    expect(statements).to.have.length(3);
  });

  it('keeps the caller’s ORDERBY', async () => {
    const { runner, statements } = runnerOver(3);
    await collect(pageThrough(runner, '1', QboQuery.select('Customer').orderBy('MetaData.LastUpdatedTime')));
    expect(statements[0]).to.equal('SELECT * FROM Customer ORDERBY MetaData.LastUpdatedTime ASC MAXRESULTS 1000 STARTPOSITION 1');
  });

  it('reads the recorded QueryResponse shapes: rows, empty, count', () => {
    expect(rowsOfQueryResponse(loadRecording('query-paging--11.json').response.body)).to.have.length(5);
    expect(rowsOfQueryResponse(loadRecording('query-paging--3.json').response.body)).to.deep.equal([]);
    expect(totalCountOf(loadRecording('query-count--4.json').response.body)).to.equal(41);
  });
});
