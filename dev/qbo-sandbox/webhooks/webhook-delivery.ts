/**
 * Delivers a webhook the way Intuit does: POST of the raw JSON body with
 * `intuit-signature: base64(HMAC-SHA256(raw body, verifier token))`, and reports how the receiver answered.
 */
import { createHmac } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { cloudEventsPayload, legacyPayload, type WebhookEvent, type WebhookFormat } from './webhook-payloads';

/** Intuit expects an answer within 3 s; the sandbox waits longer so slow receivers can be measured. */
const DELIVERY_TIMEOUT_MS = 15_000;

export function signWebhook(rawBody: string, verifierToken: string): string {
  return createHmac('sha256', verifierToken).update(rawBody, 'utf8').digest('base64');
}

export interface WebhookDelivery {
  url: string;
  verifierToken: string;
  format: WebhookFormat;
  events: WebhookEvent[];
}

export interface DeliveryReport {
  status: number | null;
  durationMs: number;
  /** The first 2,000 characters of the receiver's answer. */
  responseBody: string;
  error: string | null;
  sentBody: string;
}

export async function deliverWebhook(delivery: WebhookDelivery, clock: SandboxClock): Promise<DeliveryReport> {
  const now = clock.now();
  const payload = delivery.format === 'legacy' ? legacyPayload(delivery.events, now) : cloudEventsPayload(delivery.events, now, 'intuit.qbo-sandbox');
  const sentBody = JSON.stringify(payload);
  const started = Date.now();
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'intuit-signature': signWebhook(sentBody, delivery.verifierToken),
        'user-agent': 'QBO-Sandbox-Webhooks',
      },
      body: sentBody,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, durationMs: Date.now() - started, responseBody: text.slice(0, 2000), error: null, sentBody };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: null, durationMs: Date.now() - started, responseBody: '', error: message, sentBody };
  }
}
