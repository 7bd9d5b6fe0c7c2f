import { expect } from 'chai';
import fc from 'fast-check';
import {
  cleanItemName,
  completeItemIds,
  DEFAULT_ITEM_KEY,
  DEFAULT_ITEM_NAME,
  itemNamesToLookUp,
  resolveItems,
  type ItemResolutionInput,
} from '../../plugin/sync/plan/item-resolution';
import { workInvoice, workLine } from '../support/invoice-fixtures';

const workItems = new Map([
  ['w1', { id: 'w1', name: 'Boiler service' }],
  ['w2', { id: 'w2', name: 'Copper pipe: 15mm' }],
  ['w3', { id: 'w3', name: 'copper pipe  15mm' }],
  ['w4', { id: 'w4', name: 'Filter' }],
  ['w5', { id: 'w5', name: 'Design' }],
  ['w6', { id: 'w6', name: '::' }],
]);

function resolveFor(lines: Array<[lineId: string, itemId: string | null]>, overrides: Partial<ItemResolutionInput> = {}) {
  const invoices = [
    workInvoice({ id: 'i1', lines: lines.slice(0, 2).map(([id, itemId], i) => workLine({ id, itemId, position: i })) }),
    workInvoice({ id: 'i2', lines: lines.slice(2).map(([id, itemId], i) => workLine({ id, itemId, position: i })) }),
  ];
  return resolveItems({
    invoices,
    workItems,
    knownItemIds: new Map(),
    qboItemsFound: [],
    accounts: { incomeAccountId: '5', expenseAccountId: '10' },
    ...overrides,
  });
}

describe('sync item resolution: a QBO item for every invoice line', () => {
  it('creates each missing item once, however many lines of how many invoices use it', () => {
    const out = resolveFor([['a', 'w1'], ['b', 'w1'], ['c', 'w1'], ['d', null]]);
    expect(out.toCreate).to.deep.equal([
      { key: 'w1', alsoFor: [], body: { Name: 'Boiler service', Type: 'Service', IncomeAccountRef: { value: '5' }, ExpenseAccountRef: { value: '10' } } },
      { key: DEFAULT_ITEM_KEY, alsoFor: [], body: { Name: DEFAULT_ITEM_NAME, Type: 'Service', IncomeAccountRef: { value: '5' }, ExpenseAccountRef: { value: '10' } } },
    ]);
    expect([...out.waitingForCreate]).to.deep.equal([['a', 'w1'], ['b', 'w1'], ['c', 'w1'], ['d', DEFAULT_ITEM_KEY]]);
    expect(out.itemIdByLineId.size).to.equal(0);
    const ids = completeItemIds(out, new Map([['w1', '31'], [DEFAULT_ITEM_KEY, '32']]));
    expect([...ids]).to.deep.equal([['a', '31'], ['b', '31'], ['c', '31'], ['d', '32']]);
  });

  it('leaves the expense account out when none is chosen', () => {
    const out = resolveFor([['a', 'w1']], { accounts: { incomeAccountId: '5', expenseAccountId: null } });
    expect(out.toCreate[0]?.body).to.deep.equal({ Name: 'Boiler service', Type: 'Service', IncomeAccountRef: { value: '5' } });
  });

  it('uses a known mapping first, then an item found by name (case-insensitive), remembering the find', () => {
    const out = resolveFor([['a', 'w1'], ['b', 'w4'], ['c', null]], {
      knownItemIds: new Map([['w1', '11']]),
      qboItemsFound: [
        { Id: '1', Name: 'Services', Type: 'Service', Active: true },
        { Id: '12', Name: 'FILTER', Type: 'NonInventory', Active: true },
      ],
    });
    expect([...out.itemIdByLineId]).to.deep.equal([['a', '11'], ['b', '12'], ['c', '1']]);
    expect([...out.newMappings]).to.deep.equal([['w4', '12'], [DEFAULT_ITEM_KEY, '1']]);
    expect(out.toCreate).to.deep.equal([]);
  });

  it('cleans names as QBO requires and creates one item when two Work names clean to the same QBO name', () => {
    const out = resolveFor([['a', 'w2'], ['b', 'w3']]);
    expect(out.toCreate).to.have.length(1);
    expect(out.toCreate[0]).to.deep.include({ key: 'w2', alsoFor: ['w3'] });
    expect(out.toCreate[0]?.body.Name).to.equal('Copper pipe 15mm');
    expect([...out.waitingForCreate]).to.deep.equal([['a', 'w2'], ['b', 'w2']]);
    expect(out.nameFixes.map((f) => [f.key, f.fixes])).to.deep.equal([['w2', ['forbidden_characters']]]);
  });

  it('blocks lines whose item name is blank once cleaned, taken by a category, or inactive in QBO', () => {
    const out = resolveFor([['a', 'w6'], ['b', 'w5'], ['c', 'w4']], {
      qboItemsFound: [
        { Id: '40', Name: 'Design', Type: 'Category', Active: true },
        { Id: '41', Name: 'Filter (deleted)', Type: 'Service', Active: false },
      ],
    });
    expect(out.blocked.map((b) => [b.lineId, b.invoiceId, b.reason])).to.deep.equal([
      ['a', 'i1', 'item_name_blank'],
      ['b', 'i1', 'item_name_not_sellable'],
      ['c', 'i2', 'item_inactive'],
    ]);
    expect(out.toCreate).to.deep.equal([]);
  });

  it('prefers an active item over an inactive one of the same name', () => {
    const out = resolveFor([['a', 'w4']], {
      qboItemsFound: [
        { Id: '41', Name: 'Filter (deleted)', Type: 'Service', Active: false },
        { Id: '42', Name: 'Filter', Type: 'Service', Active: true },
      ],
    });
    expect(out.itemIdByLineId.get('a')).to.equal('42');
  });

  it('lists the names to look up once, with the names of their inactive forms, without the known ones', () => {
    const invoices = [workInvoice({ lines: [workLine({ id: 'a', itemId: 'w1' }), workLine({ id: 'b', itemId: 'w2' }), workLine({ id: 'c', itemId: 'w3' }), workLine({ id: 'd', itemId: null })] })];
    expect(itemNamesToLookUp({ invoices, workItems, knownItemIds: new Map([['w1', '11']]) })).to.deep.equal([
      'Copper pipe 15mm',
      'Copper pipe 15mm (deleted)',
      DEFAULT_ITEM_NAME,
      `${DEFAULT_ITEM_NAME} (deleted)`,
    ]);
  });

  describe('cleanItemName', () => {
    const table: Array<[string, string, string[]]> = [
      ['Boiler service', 'Boiler service', []],
      ['Pipe:\t15mm\n"long"', 'Pipe 15mm long', ['forbidden_characters']],
      ['  spaced   out  ', 'spaced out', []],
      ['x'.repeat(150), 'x'.repeat(100), ['too_long']],
    ];
    for (const [raw, expected, fixes] of table) {
      it(`${JSON.stringify(raw.slice(0, 30))} → ${JSON.stringify(expected.slice(0, 30))}`, () => {
        expect(cleanItemName(raw)).to.deep.equal({ name: expected, fixes });
      });
    }

    it('property: a cleaned name is at most 100 UTF-16 units and has no colon, tab, newline or double quote', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
          const { name } = cleanItemName(raw);
          expect(name.length).to.be.at.most(100);
          expect(/[:\t\n\r"]/.test(name)).to.equal(false);
          expect(name).to.equal(name.trim());
        }),
        { numRuns: 500 },
      );
    });
  });
});
