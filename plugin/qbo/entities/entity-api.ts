import type { z } from 'zod';
import { QboUnexpectedResponseError } from '../errors';
import { writeKeyOptions, type QboHttpClient, type QboResponse, type WriteKey, type WriteResponse } from '../http-client';
import { QboQuery } from '../query';
import { pageThrough, rowsOfQueryResponse } from '../query-pager';
import { deletedEntitySchema, type DeletedEntity } from './schemas';

/** What the entity helpers need from the http client (QboHttpClient in production). */
export type EntityClient = Pick<QboHttpClient, 'get' | 'post' | 'query'>;

export interface SyncTokenRef {
  Id: string;
  SyncToken: string;
}

export type { WriteKey } from '../http-client';

/**
 * Validates a QBO object against our schema; a mismatch names the fields, never their values. After a write
 * QuickBooks answered with a 2xx (`afterWrite`), the write WAS applied: the mismatch then says so
 * (outcomeUnknown, never "not written"), so nobody writes the record again under a new key.
 */
export function parseEntity<S extends z.ZodType>(schema: S, value: unknown, what: string, response?: QboResponse, afterWrite = false): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
  throw new QboUnexpectedResponseError({
    code: afterWrite ? 'SCHEMA_MISMATCH_AFTER_WRITE' : 'SCHEMA_MISMATCH',
    message: afterWrite
      ? `QuickBooks applied the ${what} write but its answer did not have the expected shape (${fields}); read the record back`
      : `QuickBooks ${what} did not have the expected shape (${fields})`,
    intuitTid: response?.intuitTid ?? null,
    httpStatus: response?.status ?? null,
    outcomeUnknown: afterWrite,
  });
}

const QBO_ID = /^\d{1,20}$/;

function checkId(id: string): string {
  if (!QBO_ID.test(id)) throw new Error(`QuickBooks ids are digits: ${JSON.stringify(id)}`);
  return id;
}

/**
 * Typed create / read / sparse update / delete / query for one QBO entity. `name` is the JSON key and
 * query entity ("Customer"), `path` the URL segment ("customer").
 */
export class EntityApi<S extends z.ZodType> {
  constructor(
    readonly name: string,
    readonly path: string,
    readonly schema: S,
  ) {}

  /** The entity object inside a response body (`{ "Customer": {…}, "time": … }`). */
  fromResponse(response: QboResponse): z.output<S> {
    return parseEntity(this.schema, response.body[this.name], this.name, response);
  }

  async read(client: EntityClient, realmId: string, id: string): Promise<z.output<S>> {
    return this.fromResponse(await client.get(realmId, [this.path, checkId(id)]));
  }

  /** The entity in the answer to a write QuickBooks applied: a mismatch is an unknown outcome, not a refusal. */
  fromWriteResponse(response: QboResponse): z.output<S> {
    return parseEntity(this.schema, response.body[this.name], this.name, response, true);
  }

  async create(client: EntityClient, realmId: string, payload: Record<string, unknown>, operationKey: WriteKey): Promise<z.output<S>> {
    if ('Id' in payload) throw new Error(`create ${this.name} must not carry an Id`);
    return this.fromWriteResponse(await client.post(realmId, [this.path], payload, writeKeyOptions(operationKey)));
  }

  /** Changes only the fields sent (`sparse: true`); needs the current SyncToken (5010 otherwise). */
  async sparseUpdate(client: EntityClient, realmId: string, ref: SyncTokenRef, fields: Record<string, unknown>, operationKey: WriteKey): Promise<z.output<S>> {
    const body = { ...fields, Id: checkId(ref.Id), SyncToken: ref.SyncToken, sparse: true };
    return this.fromWriteResponse(await client.post(realmId, [this.path], body, writeKeyOptions(operationKey)));
  }

  /** POST ?operation=… with a body, for delete/void style operations that answer with the object. */
  async operation(client: EntityClient, realmId: string, operation: string, body: Record<string, unknown>, operationKey: WriteKey, extraQuery: Record<string, string> = {}): Promise<WriteResponse> {
    return client.post(realmId, [this.path], body, { ...writeKeyOptions(operationKey), query: { operation, ...extraQuery } });
  }

  async delete(client: EntityClient, realmId: string, ref: SyncTokenRef, operationKey: WriteKey): Promise<DeletedEntity> {
    const response = await this.operation(client, realmId, 'delete', { Id: checkId(ref.Id), SyncToken: ref.SyncToken }, operationKey);
    return parseEntity(deletedEntitySchema, response.body[this.name], `${this.name} delete`, response, true);
  }

  /** A query over this entity, to be refined and passed to queryAll/queryFirst. */
  select(): QboQuery {
    return QboQuery.select(this.name);
  }

  /** Every matching object, paged 1000 at a time in a stable order. */
  async *queryAll(client: EntityClient, realmId: string, query: QboQuery): AsyncGenerator<z.output<S>, void, void> {
    if (query.entity !== this.name) throw new Error(`query is over ${query.entity}, not ${this.name}`);
    for await (const row of pageThrough(client, realmId, query)) yield parseEntity(this.schema, row, this.name);
  }

  /** The first match only (MAXRESULTS 1): one metered read, not a page of 1000. */
  async queryFirst(client: EntityClient, realmId: string, query: QboQuery): Promise<z.output<S> | null> {
    if (query.entity !== this.name) throw new Error(`query is over ${query.entity}, not ${this.name}`);
    const response = await client.query(realmId, query.limit(1).from(1).toString());
    const [row] = rowsOfQueryResponse(response.body);
    return row === undefined ? null : parseEntity(this.schema, row, this.name, response);
  }
}
