import { expect } from 'chai';
import type { EntityName, QboObject } from '../../dev/qbo-sandbox/contracts';
import { QboFault } from '../../dev/qbo-sandbox/faults';
import { parseQuery } from '../../dev/qbo-sandbox/query/query-parser';
import { runQuery, validateQuery } from '../../dev/qbo-sandbox/query/query-evaluator';
import type { StoredRecord } from '../../dev/qbo-sandbox/store/stored-record';

function faultCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof QboFault) return error.errors[0]?.code;
    throw error;
  }
  return undefined;
}

function records(entity: EntityName, objects: QboObject[], deletedIds: string[] = []): StoredRecord[] {
  return objects.map((object) => ({ entity, id: String(object['Id']), object, deleted: deletedIds.includes(String(object['Id'])), voided: false, deposited: false, changedAtMs: 0 }));
}

const run = (statement: string, rows: StoredRecord[]) => runQuery(validateQuery(parseQuery(statement)), rows);

describe('sandbox query language: parser', () => {
  it('accepts the statements QBO accepted in the recordings', () => {
    const accepted = [
      'SELECT * FROM Customer',
      'SELECT COUNT(*) FROM Employee WHERE Active IN (true, false) ',
      "SELECT * FROM Vendor WHERE DisplayName = 'Robertson & Associates'",
      "SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'",
      "SELECT * FROM Customer WHERE Id IN ('5', '6', '7', '8', '9', '10') AND Active IN ( true, false ) MAXRESULTS 2 STARTPOSITION 5",
      'SELECT * FROM vendor MAXRESULTS 5 STARTPOSITION 21',
      "select * from Invoice where TotalAmt > '300.00'",
    ];
    for (const statement of accepted) expect(faultCode(() => validateQuery(parseQuery(statement))), statement).to.equal(undefined);
  });

  it('accepts both clause orders, ORDER BY and ORDERBY, and nested fields', () => {
    const a = parseQuery("select * from Customer where MetaData.LastUpdatedTime >= '2026-01-01T00:00:00-07:00' orderby MetaData.LastUpdatedTime desc startposition 3 maxresults 7");
    const b = parseQuery('SELECT * FROM Customer ORDER BY DisplayName ASC MAXRESULTS 7 STARTPOSITION 3');
    expect([a.startPosition, a.maxResults, b.startPosition, b.maxResults]).to.deep.equal([3, 7, 3, 7]);
    expect(a.orderBy).to.deep.equal({ field: 'MetaData.LastUpdatedTime', descending: true });
    expect(b.orderBy).to.deep.equal({ field: 'DisplayName', descending: false });
    expect(a.where[0]?.field).to.equal('MetaData.LastUpdatedTime');
  });

  it('unescapes \\\' and \\\\ inside strings', () => {
    const q = parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s \\\\ Sanctuary'");
    expect(q.where[0]?.values[0]).to.deep.equal({ kind: 'string', value: "Amy's \\ Sanctuary" });
  });

  it('rejects the escaping variants QBO rejected with 4000', () => {
    const rejected = [
      'SELECT * FROM Customer WHERE DisplayName = "Amy\\\'s Bird Sanctuary"',
      "SELECT * FROM Customer WHERE DisplayName = 'Amy\\\\'s Bird Sanctuary'",
      "SELECT * FROM Customer WHERE DisplayName = 'Amy's Bird Sanctuary'",
      "SELECT * FROM Customer WHERE DisplayName = 'Amy\\\\'s Bird Sanctuary\\''",
      "SELECT * FROM Customer WHERE DisplayName = \\'Amy\\'s Bird Sanctuary\\'",
      'SELECT & FROM Customer',
      'SELECT * FROM EmployeeSELECT * FROM Employee WHERE Active IN ( true, false ) MAXRESULTS 1000 STARTPOSITION 1',
    ];
    for (const statement of rejected) expect(faultCode(() => parseQuery(statement)), statement).to.equal('4000');
  });

  it('reports lexical errors at QBO\'s column', () => {
    try {
      parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Amy's Bird Sanctuary'");
      expect.fail('should not parse');
    } catch (error) {
      expect((error as QboFault).errors[0]?.Detail).to.match(/column 49\./);
    }
    try {
      parseQuery('SELECT & FROM Customer');
      expect.fail('should not parse');
    } catch (error) {
      expect((error as QboFault).errors[0]?.Detail).to.contain('Lexical error at line 1, column 9.');
    }
  });

  it('rejects OR, projections, unterminated strings, repeated paging clauses and a missing FROM (4000)', () => {
    for (const statement of [
      "SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'",
      'SELECT DisplayName FROM Customer',
      "SELECT * FROM Customer WHERE DisplayName = 'open",
      'SELECT * FROM Customer MAXRESULTS 5 MAXRESULTS 6',
      'SELECT * Customer',
      "SELECT * FROM Customer WHERE DisplayName LIKE 5",
    ]) {
      expect(faultCode(() => parseQuery(statement)), statement).to.equal('4000');
    }
  });

  it('rejects unknown entities and fields with 4001', () => {
    expect(faultCode(() => validateQuery(parseQuery('SELECT * FROM Custmoer')))).to.equal('4001');
    expect(faultCode(() => validateQuery(parseQuery("SELECT * FROM Customer WHERE Nickname = 'x'")))).to.equal('4001');
    expect(faultCode(() => validateQuery(parseQuery('SELECT * FROM Customer ORDERBY Shoe')))).to.equal('4001');
  });
});

describe('sandbox query language: evaluation', () => {
  const customers = records('Customer', [
    { Id: '1', DisplayName: "Amy's Bird Sanctuary", FullyQualifiedName: "Amy's Bird Sanctuary", Active: true, Balance: 239, MetaData: { LastUpdatedTime: '2026-01-02T10:00:00-07:00' } },
    { Id: '2', DisplayName: 'PG&E', FullyQualifiedName: 'PG&E', Active: true, Balance: 10.5, MetaData: { LastUpdatedTime: '2026-01-03T10:00:00-07:00' } },
    { Id: '3', DisplayName: 'Pam Seitz', FullyQualifiedName: 'Pam Seitz', Active: true, Balance: 0, MetaData: { LastUpdatedTime: '2026-01-01T10:00:00-07:00' } },
    { Id: '4', DisplayName: 'Old One (deleted)', FullyQualifiedName: 'Old One (deleted)', Active: false, Balance: 0, MetaData: { LastUpdatedTime: '2026-01-01T10:00:00-07:00' } },
    { Id: '5', DisplayName: 'Site', FullyQualifiedName: 'PG&E:Site', Active: true, Job: true, ParentRef: { value: '2' }, PrimaryEmailAddr: { Address: 'site@pge.com' }, MetaData: { LastUpdatedTime: '2026-01-04T10:00:00-07:00' } },
  ]);
  const ids = (response: Record<string, unknown>) => ((response['Customer'] as QboObject[] | undefined) ?? []).map((c) => c['Id']);

  it('returns only active rows of a name list unless the query filters on Active', () => {
    expect(ids(run('SELECT * FROM Customer', customers))).to.not.include('4');
    expect(ids(run('SELECT * FROM Customer WHERE Active IN (true, false)', customers))).to.include('4');
    expect(ids(run('SELECT * FROM Customer WHERE Active = false', customers))).to.deep.equal(['4']);
  });

  it('orders name lists by name ordinally by default (uppercase before lowercase, parents before their jobs)', () => {
    expect(ids(run('SELECT * FROM Customer', customers))).to.deep.equal(['1', '2', '5', '3']);
    expect(ids(run('SELECT * FROM Customer ORDERBY MetaData.LastUpdatedTime DESC', customers))).to.deep.equal(['5', '2', '1', '3']);
  });

  it('filters with = (case-insensitive), IN, LIKE with %, numbers, refs, e-mail and times', () => {
    expect(ids(run("SELECT * FROM Customer WHERE DisplayName = 'amy\\'s bird sanctuary'", customers))).to.deep.equal(['1']);
    expect(ids(run("SELECT * FROM Customer WHERE Id IN ('1', '3')", customers))).to.deep.equal(['1', '3']);
    expect(ids(run("SELECT * FROM Customer WHERE DisplayName LIKE 'P%'", customers))).to.deep.equal(['2', '3']);
    expect(ids(run("SELECT * FROM Customer WHERE DisplayName LIKE 'P_E'", customers))).to.deep.equal([]);
    expect(ids(run("SELECT * FROM Customer WHERE Balance > '10.49'", customers))).to.deep.equal(['1', '2']);
    expect(ids(run("SELECT * FROM Customer WHERE ParentRef = '2'", customers))).to.deep.equal(['5']);
    expect(ids(run("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'SITE@pge.com'", customers))).to.deep.equal(['5']);
    expect(ids(run("SELECT * FROM Customer WHERE MetaData.LastUpdatedTime > '2026-01-02T17:00:00Z'", customers))).to.deep.equal(['2', '5']);
    expect(ids(run("SELECT * FROM Customer WHERE Balance >= '0' AND DisplayName LIKE '%a%'", customers))).to.deep.equal(['1', '3']);
  });

  it('pages with 1-based STARTPOSITION and reports the rows returned as maxResults; past the end is {}', () => {
    expect(run('SELECT * FROM Customer STARTPOSITION 2 MAXRESULTS 2', customers)).to.include({ startPosition: 2, maxResults: 2 });
    expect(ids(run('SELECT * FROM Customer STARTPOSITION 2 MAXRESULTS 2', customers))).to.deep.equal(['2', '5']);
    expect(run('SELECT * FROM Customer STARTPOSITION 4 MAXRESULTS 2', customers)).to.include({ startPosition: 4, maxResults: 1 });
    expect(run('SELECT * FROM Customer STARTPOSITION 5 MAXRESULTS 2', customers)).to.deep.equal({});
    expect(run("SELECT * FROM Customer WHERE DisplayName = 'Nobody'", customers)).to.deep.equal({});
  });

  it('returns at most 1000 rows, 100 by default, and counts with totalCount only', () => {
    const many = records('Vendor', Array.from({ length: 1200 }, (_, i) => ({ Id: String(i + 1), DisplayName: `Vendor ${String(i).padStart(4, '0')}`, Active: true })));
    expect(run('SELECT * FROM Vendor', many)['maxResults']).to.equal(100);
    expect(run('SELECT * FROM Vendor MAXRESULTS 5000', many)['maxResults']).to.equal(1000);
    expect(run('SELECT COUNT(*) FROM Vendor', many)).to.deep.equal({ totalCount: 1200 });
    expect(run("SELECT count(*) FROM Vendor WHERE DisplayName LIKE 'Vendor 00%'", many)).to.deep.equal({ totalCount: 100 });
  });

  it('never returns deleted transactions and names the entity canonically', () => {
    const invoices = records('Invoice', [{ Id: '10', TotalAmt: 5 }, { Id: '11', TotalAmt: 500 }], ['10']);
    expect(run('select * from invoice', invoices)).to.deep.equal({ Invoice: [{ Id: '11', TotalAmt: 500 }], startPosition: 1, maxResults: 1 });
  });
});
