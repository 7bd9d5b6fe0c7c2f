/**
 * The two bodies Intuit posts to a webhook endpoint, read into one event shape. Pure: no I/O.
 * Legacy: {"eventNotifications":[{"realmId","dataChangeEvent":{"entities":[{"name","id","operation","lastUpdated"}]}}]}.
 * CloudEvents (mandatory during 2026): an array of events with `type` like qbo.customer.updated.v1,
 * `intuitaccountid` (the realm), `intuitentityid`, `id` and `time`.
 */
import { z } from 'zod';

export type WebhookFormat = 'legacy' | 'cloudevents';

export interface WebhookEvent {
  format: WebhookFormat;
  /** Same event, same key: Intuit's retries and replays are recognised by it. */
  dedupeKey: string;
  realmId: string;
  /** QuickBooks entity name as Intuit writes it in the legacy body (Customer, Invoice…). */
  entity: string;
  entityId: string;
  /** Create, Update, Delete, Merge, Void, Emailed (the legacy words; CloudEvents' verbs are mapped). */
  operation: string;
  occurredAt: Date;
  /** The event as received, for replay and diagnosis. */
  payload: Record<string, unknown>;
}

export type ParsedBody = { ok: true; format: WebhookFormat; events: WebhookEvent[] } | { ok: false; problem: string };

/** Bounds that keep stored keys small and a hostile body from making us store nonsense. */
const MAX_EVENTS = 1000;
const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, ".", "_", ":" or "-"');
const entityName = z.string().min(1).max(64).regex(/^[A-Za-z]+$/, 'must be letters only');
// A real event happened in this era; JavaScript's dates reach far past what PostgreSQL's timestamps hold.
const isoTime = z
  .string()
  .max(64)
  .refine((v) => {
    const year = new Date(Date.parse(v)).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, 'must be a date and time');

const legacyEntity = z.object({ name: entityName, id, operation: z.string().min(1).max(32).regex(/^[A-Za-z]+$/), lastUpdated: isoTime }).loose();
const legacyBody = z
  .object({
    eventNotifications: z
      .array(z.object({ realmId: id, dataChangeEvent: z.object({ entities: z.array(legacyEntity) }).loose() }).loose())
      .min(1),
  })
  .loose();

const cloudEvent = z
  .object({
    id: z.string().trim().min(1).max(200),
    type: z.string().regex(/^qbo\.[A-Za-z]+\.[a-z]+\.v\d+$/, 'must look like qbo.<entity>.<verb>.v<N>'),
    intuitaccountid: id,
    intuitentityid: id,
    time: isoTime,
    specversion: z.string().optional(),
  })
  .loose();
const cloudEventsBody = z.array(cloudEvent).min(1);

const VERB_TO_OPERATION: Record<string, string> = {
  created: 'Create',
  updated: 'Update',
  deleted: 'Delete',
  merged: 'Merge',
  voided: 'Void',
  emailed: 'Emailed',
};

function problemOf(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'body'} ${first.message}` : 'body has the wrong shape';
}

/** QuickBooks entity names of more than one word, as the legacy body and CDC spell them. */
const MULTI_WORD_ENTITIES = [
  'BillPayment', 'CreditMemo', 'JournalEntry', 'PaymentMethod', 'PurchaseOrder', 'RefundReceipt', 'SalesReceipt',
  'TaxAgency', 'TimeActivity', 'VendorCredit', 'CompanyCurrency', 'ReimburseCharge',
];
const ENTITY_BY_LOWER = new Map(MULTI_WORD_ENTITIES.map((name) => [name.toLowerCase(), name]));

/** `qbo.customer.updated.v1` → Customer/Update; the entity is spelled the way the legacy body and CDC name it. */
function fromType(type: string): { entity: string; operation: string } {
  const [, entity = '', verb = ''] = type.split('.');
  const name = ENTITY_BY_LOWER.get(entity.toLowerCase()) ?? entity.charAt(0).toUpperCase() + entity.slice(1);
  return { entity: name, operation: VERB_TO_OPERATION[verb] ?? verb };
}

/**
 * True when any text or key of the value holds a NUL character, which PostgreSQL cannot store (text or
 * jsonb). Walked with a stack, not recursion: a signed body may still nest deeply.
 */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (Array.isArray(next)) {
      for (const inner of next) stack.push(inner);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, inner] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/** Read a JSON value already parsed from a verified body. Either format, never a mix; never partial. */
export function parseWebhookBody(body: unknown): ParsedBody {
  if (holdsNul(body)) return { ok: false, problem: `${Array.isArray(body) ? 'CloudEvents' : 'legacy'} body: a text holds a NUL character, which cannot be stored` };
  if (Array.isArray(body)) {
    const parsed = cloudEventsBody.safeParse(body);
    if (!parsed.success) return { ok: false, problem: `CloudEvents body: ${problemOf(parsed.error)}` };
    if (parsed.data.length > MAX_EVENTS) return { ok: false, problem: `CloudEvents body: more than ${MAX_EVENTS} events` };
    const events = parsed.data.map((event, i): WebhookEvent => {
      const { entity, operation } = fromType(event.type);
      return {
        format: 'cloudevents',
        dedupeKey: `ce|${event.id}`,
        realmId: event.intuitaccountid,
        entity,
        entityId: event.intuitentityid,
        operation,
        occurredAt: new Date(event.time),
        payload: body[i] as Record<string, unknown>,
      };
    });
    return { ok: true, format: 'cloudevents', events };
  }
  const parsed = legacyBody.safeParse(body);
  if (!parsed.success) return { ok: false, problem: `legacy body: ${problemOf(parsed.error)}` };
  const events: WebhookEvent[] = [];
  for (const notification of parsed.data.eventNotifications) {
    for (const e of notification.dataChangeEvent.entities) {
      const occurredAt = new Date(e.lastUpdated);
      events.push({
        format: 'legacy',
        // The time is normalised so "…00Z" and "…00.000Z" are the same event.
        dedupeKey: ['legacy', notification.realmId, e.name, e.id, e.operation, occurredAt.toISOString()].join('|'),
        realmId: notification.realmId,
        entity: e.name,
        entityId: e.id,
        operation: e.operation,
        occurredAt,
        payload: { realmId: notification.realmId, ...e },
      });
    }
  }
  if (events.length > MAX_EVENTS) return { ok: false, problem: `legacy body: more than ${MAX_EVENTS} entities` };
  return { ok: true, format: 'legacy', events };
}
