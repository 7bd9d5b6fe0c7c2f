/** The parsed form of a QBO query. */
export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: string } | { kind: 'boolean'; value: boolean };

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

export interface Condition {
  field: string;
  operator: Operator;
  /** One value, or several for IN. */
  values: Literal[];
}

export interface ParsedQuery {
  count: boolean;
  /** The entity as written in the query (QBO accepts any case, e.g. "vendor"). */
  entity: string;
  where: Condition[];
  orderBy: { field: string; descending: boolean } | undefined;
  startPosition: number | undefined;
  maxResults: number | undefined;
}
