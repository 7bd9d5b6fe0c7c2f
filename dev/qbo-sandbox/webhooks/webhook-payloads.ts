/**
 * The two webhook bodies Intuit sends: the legacy `eventNotifications` envelope and the CloudEvents array
 * (mandatory during 2026; fields as in Intuit's "Understanding the data object" page).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const WEBHOOK_OPERATIONS = ['Create', 'Update', 'Delete', 'Merge', 'Void', 'Emailed'] as const;

export const webhookEvent = z.object({
  realmId: z.string().min(1),
  /** QBO entity name, e.g. "Customer". */
  name: z.string().regex(/^[A-Za-z]+$/),
  id: z.string().min(1),
  operation: z.enum(WEBHOOK_OPERATIONS),
  /** ISO time of the change; the sandbox clock's now when omitted. */
  lastUpdated: z.string().optional(),
  /** CloudEvents only: merged-away id and the like. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type WebhookEvent = z.infer<typeof webhookEvent>;

export type WebhookFormat = 'legacy' | 'cloudevents';

const PAST_TENSE: Record<WebhookEvent['operation'], string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Merge: 'merged',
  Void: 'voided',
  Emailed: 'emailed',
};

/** One notification per realm, entities in the order given. */
export function legacyPayload(events: WebhookEvent[], now: Date): unknown {
  const byRealm = new Map<string, WebhookEvent[]>();
  for (const event of events) byRealm.set(event.realmId, [...(byRealm.get(event.realmId) ?? []), event]);
  return {
    eventNotifications: [...byRealm].map(([realmId, realmEvents]) => ({
      realmId,
      dataChangeEvent: {
        entities: realmEvents.map((event) => ({
          name: event.name,
          id: event.id,
          operation: event.operation,
          lastUpdated: event.lastUpdated ?? now.toISOString(),
        })),
      },
    })),
  };
}

export function cloudEventsPayload(events: WebhookEvent[], now: Date, appSource: string): unknown {
  return events.map((event) => ({
    specversion: '1.0',
    id: `${randomUUID()}-${event.name}-${event.id}`,
    source: appSource,
    type: `qbo.${event.name.toLowerCase()}.${PAST_TENSE[event.operation]}.v1`,
    datacontenttype: 'application/json',
    time: event.lastUpdated ?? now.toISOString(),
    intuitentityid: event.id,
    intuitaccountid: event.realmId,
    data: event.data ?? {},
  }));
}
