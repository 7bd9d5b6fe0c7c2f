/**
 * A recursive-descent parser for the subset of QBO's query language the API accepts:
 *   SELECT * | COUNT(*) FROM Entity [WHERE cond AND cond ...] [ORDERBY field [ASC|DESC]]
 *   [STARTPOSITION n] [MAXRESULTS n]   (the last two in either order, as QBO accepts both)
 * Keywords are case-insensitive. OR, projections and joins are not supported (4000).
 */
import { faults } from '../faults';
import type { Condition, Literal, Operator, ParsedQuery } from './query-ast';
import { tokenize, type Token } from './query-lexer';

const COMPARISONS = new Set(['=', '<', '>', '<=', '>=']);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ParsedQuery {
    this.keyword('SELECT');
    const count = this.selection();
    this.keyword('FROM');
    const entity = this.expect('IDENTIFIER', ['<IDENTIFIER>']).text;
    const query: ParsedQuery = { count, entity, where: [], orderBy: undefined, startPosition: undefined, maxResults: undefined };
    if (this.isKeyword('WHERE')) {
      this.next();
      query.where.push(this.condition());
      while (this.isKeyword('AND')) {
        this.next();
        query.where.push(this.condition());
      }
      if (this.isKeyword('OR')) throw faults.queryParse(`OR is not supported at line 1, column ${this.peek().column}.`);
    }
    if (this.isKeyword('ORDERBY') || this.isKeyword('ORDER')) query.orderBy = this.orderBy();
    for (;;) {
      if (this.isKeyword('STARTPOSITION') && query.startPosition === undefined) {
        this.next();
        query.startPosition = this.integer();
      } else if (this.isKeyword('MAXRESULTS') && query.maxResults === undefined) {
        this.next();
        query.maxResults = this.integer();
      } else {
        break;
      }
    }
    this.expect('EOF', this.afterClauses(query));
    return query;
  }

  /** What QBO's grammar would take at the end of a statement, in its own order. */
  private afterClauses(query: ParsedQuery): string[] {
    if (query.orderBy || query.startPosition !== undefined || query.maxResults !== undefined) return ['<EOF>', '"maxresults"', '"startposition"'];
    if (query.where.length > 0) return ['<EOF>', '<AND>', '"iterator"', '"maxresults"', '<OR>', '"order"', '"orderby"', '"startposition"'];
    return ['<EOF>', '","', '"as"', '"iterator"', '"maxresults"', '"order"', '"orderby"', '"startposition"', '"where"', '<IDENTIFIER>'];
  }

  private selection(): boolean {
    if (this.peek().kind === 'STAR') {
      this.next();
      return false;
    }
    if (this.isKeyword('COUNT')) {
      this.next();
      this.expect('LPAREN', ['"("']);
      this.expect('STAR', ['"*"']);
      this.expect('RPAREN', ['")"']);
      return true;
    }
    throw this.unexpected(['"*"', '"count"']);
  }

  private condition(): Condition {
    const field = this.expect('IDENTIFIER', ['<IDENTIFIER>']).text;
    const op = this.peek();
    if (op.kind === 'OPERATOR' && COMPARISONS.has(op.text)) {
      this.next();
      return { field, operator: op.text as Operator, values: [this.literal()] };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const value = this.literal();
      if (value.kind !== 'string') throw this.unexpectedAt(this.tokens[this.position - 1], ['<STRING>']);
      return { field, operator: 'LIKE', values: [value] };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expect('LPAREN', ['"("']);
      const values = [this.literal()];
      while (this.peek().kind === 'COMMA') {
        this.next();
        values.push(this.literal());
      }
      this.expect('RPAREN', ['")"', '","']);
      return { field, operator: 'IN', values };
    }
    throw this.unexpected(['"="', '"<"', '">"', '"<="', '">="', '"in"', '"like"']);
  }

  private literal(): Literal {
    const token = this.peek();
    if (token.kind === 'STRING') {
      this.next();
      return { kind: 'string', value: token.text };
    }
    if (token.kind === 'NUMBER' && /^-?\d+(\.\d+)?$/.test(token.text)) {
      this.next();
      return { kind: 'number', value: token.text };
    }
    if (token.kind === 'IDENTIFIER' && /^(true|false)$/i.test(token.text)) {
      this.next();
      return { kind: 'boolean', value: token.text.toLowerCase() === 'true' };
    }
    throw this.unexpected(['<STRING>', '<INTEGER>', '"true"', '"false"']);
  }

  private orderBy(): { field: string; descending: boolean } {
    if (this.isKeyword('ORDER')) {
      this.next();
      this.keyword('BY');
    } else {
      this.next();
    }
    const field = this.expect('IDENTIFIER', ['<IDENTIFIER>']).text;
    let descending = false;
    if (this.isKeyword('ASC') || this.isKeyword('DESC')) descending = this.next().text.toUpperCase() === 'DESC';
    return { field, descending };
  }

  private integer(): number {
    const token = this.expect('NUMBER', ['<INTEGER>']);
    if (!/^\d+$/.test(token.text)) throw this.unexpectedAt(token, ['<INTEGER>']);
    return Number(token.text);
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) throw this.unexpected([`"${word.toLowerCase()}"`]);
    this.next();
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'IDENTIFIER' && token.text.toUpperCase() === word;
  }

  private expect(kind: Token['kind'], expected: string[]): Token {
    const token = this.peek();
    if (token.kind !== kind) throw this.unexpected(expected);
    return this.next();
  }

  private peek(): Token {
    const token = this.tokens[this.position];
    if (!token) throw new Error('the lexer always ends with EOF or ERROR');
    if (token.kind === 'ERROR' && token.fault) throw token.fault;
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'EOF' && token.kind !== 'ERROR') this.position += 1;
    return token;
  }

  private unexpected(expected: string[]) {
    return this.unexpectedAt(this.peek(), expected);
  }

  private unexpectedAt(token: Token | undefined, expected: string[]) {
    const t = token ?? { kind: 'EOF', text: '', column: 0 };
    const label = t.kind === 'IDENTIFIER' ? '<IDENTIFIER>' : t.kind === 'STRING' ? '<STRING>' : t.kind === 'NUMBER' ? '<INTEGER>' : t.kind === 'EOF' ? '<EOF>' : `"${t.text}"`;
    const image = t.kind === 'STRING' ? `'${t.text}'` : t.text;
    const lines = expected.map((e) => (e === '<EOF>' ? '    <EOF> \n' : `    ${e} ...\n`)).join('');
    return faults.queryParse(`Encountered " ${label} "${image} "" at line 1, column ${t.column}.\nWas expecting one of:\n${lines}    `);
  }

}

export function parseQuery(query: string): ParsedQuery {
  return new Parser(tokenize(query)).parse();
}
