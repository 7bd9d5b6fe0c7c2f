/**
 * Tokens of QBO's query language. Errors imitate the JavaCC messages QBO answers with (fault 4000):
 * "Lexical error at line 1, column N" for characters the language does not know, e.g. a double quote or a
 * backslash outside a string.
 */
import { faults, QboFault } from '../faults';

export type TokenKind = 'IDENTIFIER' | 'STRING' | 'NUMBER' | 'STAR' | 'LPAREN' | 'RPAREN' | 'COMMA' | 'OPERATOR' | 'ERROR' | 'EOF';

export interface Token {
  kind: TokenKind;
  /** For STRING the unescaped value; otherwise the source text. */
  text: string;
  /** 1-based column of the token's first character, as QBO reports it. */
  column: number;
  /** For ERROR: the lexical fault, raised only when the parser reaches it (QBO's lexer is lazy too). */
  fault?: QboFault;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;
/** Characters that start a two-character operator QBO's lexer knows (&&, ||, !=). */
const OPERATOR_PREFIXES = new Set(['&', '|', '!']);

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  try {
    readTokens(query, tokens);
  } catch (error) {
    if (!(error instanceof QboFault)) throw error;
    tokens.push({ kind: 'ERROR', text: '', column: 0, fault: error });
    return tokens;
  }
  tokens.push({ kind: 'EOF', text: '', column: query.length + 1 });
  return tokens;
}

function readTokens(query: string, tokens: Token[]): void {
  let i = 0;
  while (i < query.length) {
    const ch = query.charAt(i);
    const column = i + 1;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < query.length && IDENT_PART.test(query.charAt(end))) end += 1;
      tokens.push({ kind: 'IDENTIFIER', text: query.slice(i, end), column });
      i = end;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(query.charAt(i + 1)))) {
      let end = i + 1;
      while (end < query.length && /[0-9.]/.test(query.charAt(end))) end += 1;
      tokens.push({ kind: 'NUMBER', text: query.slice(i, end), column });
      i = end;
    } else if (ch === "'") {
      const { value, end } = readString(query, i);
      tokens.push({ kind: 'STRING', text: value, column });
      i = end;
    } else if (ch === '*' || ch === '(' || ch === ')' || ch === ',') {
      const kind: TokenKind = ch === '*' ? 'STAR' : ch === '(' ? 'LPAREN' : ch === ')' ? 'RPAREN' : 'COMMA';
      tokens.push({ kind, text: ch, column });
      i += 1;
    } else if (ch === '<' || ch === '>' || ch === '=') {
      const two = query.slice(i, i + 2);
      const text = two === '<=' || two === '>=' || two === '<>' ? two : ch;
      tokens.push({ kind: 'OPERATOR', text, column });
      i += text.length;
    } else if (OPERATOR_PREFIXES.has(ch)) {
      const next = query.charAt(i + 1);
      if ((ch === '!' && next === '=') || (ch !== '!' && next === ch)) {
        tokens.push({ kind: 'OPERATOR', text: ch + next, column });
        i += 2;
      } else {
        throw lexicalError(i + 2, next, ch);
      }
    } else {
      throw lexicalError(column, ch, '');
    }
  }
}

/** A single-quoted string; a backslash escapes the next character (\' and \\). */
function readString(query: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query.charAt(i);
    if (ch === '\\' && i + 1 < query.length) {
      value += query.charAt(i + 1);
      i += 2;
    } else if (ch === "'") {
      return { value, end: i + 1 };
    } else {
      value += ch;
      i += 1;
    }
  }
  throw lexicalError(query.length + 1, '<EOF>', query.slice(start));
}

function lexicalError(column: number, encountered: string, after: string) {
  const shown = encountered === '' ? '<EOF>' : javaEscape(encountered);
  const code = encountered.length === 1 ? ` (${encountered.charCodeAt(0)})` : '';
  return faults.queryParse(`Invalid content. Lexical error at line 1, column ${column}.  Encountered: "${shown}"${code}, after : "${javaEscape(after)}"`);
}

/** JavaCC escapes quotes and backslashes in its messages. */
function javaEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
