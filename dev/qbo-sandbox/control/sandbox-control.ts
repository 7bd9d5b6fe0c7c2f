/**
 * Programmatic access to everything the control API offers. Nothing here counts as an API call or against
 * the rate limits.
 */
import type { SandboxClock } from '../clock';
import type { CompanyOptions, CompanySummary, EntityName, QboObject, SandboxStoreApi } from '../contracts';
import type { RealmLimiter, Limits } from '../middleware/rate-limits';
import type { IdempotencyStore } from '../middleware/idempotency';
import type { RequestCounts, RequestLog, RequestLogEntry, RequestLogFilter } from '../middleware/request-log';
import type { OAuthCallCounts, OAuthCallEntry } from '../oauth/oauth-call-log';
import type { IssuedSecret, OAuthRegistry } from '../oauth/oauth-registry';
import { deliverWebhook, type DeliveryReport, type WebhookDelivery } from '../webhooks/webhook-delivery';
import type { FaultRule, FaultRuleInput, FaultRules } from './fault-rules';

export interface SandboxSettings {
  autoApprove: boolean;
  latencyMs: number;
}

export interface SandboxControlDeps {
  store: SandboxStoreApi;
  clock: SandboxClock;
  faults: FaultRules;
  log: RequestLog;
  limiter: RealmLimiter;
  idempotency: IdempotencyStore;
  registry: OAuthRegistry;
  settings: SandboxSettings;
  /** The client id that test tokens are issued to. */
  testClientId: string;
}

export class SandboxControl {
  constructor(private readonly deps: SandboxControlDeps) {}

  createCompany(options: CompanyOptions): CompanySummary {
    return this.deps.store.createCompany(options);
  }

  listCompanies(): CompanySummary[] {
    return this.deps.store.listCompanies();
  }

  bulkLoad(realmId: string, entity: EntityName, objects: QboObject[]): QboObject[] {
    return this.deps.store.bulkLoad(realmId, entity, objects);
  }

  objects(realmId: string, entity: EntityName): QboObject[] {
    return this.deps.store.all(realmId, entity);
  }

  armFault(input: FaultRuleInput): FaultRule {
    return this.deps.faults.arm(input);
  }

  listFaults(): FaultRule[] {
    return this.deps.faults.list();
  }

  clearFaults(): void {
    this.deps.faults.clear();
  }

  advanceClock(ms: number): string {
    this.deps.clock.advance(ms);
    return this.deps.clock.now().toISOString();
  }

  now(): string {
    return this.deps.clock.now().toISOString();
  }

  requests(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.deps.log.list(filter);
  }

  /** Running totals (calls, writes, 429s, peak concurrency) that outlive the log's retained entries. */
  requestCounts(realmId?: string): RequestCounts {
    return this.deps.log.counts(realmId);
  }

  clearRequests(): void {
    this.deps.log.clear();
  }

  limits(): Limits {
    return { ...this.deps.limiter.limits };
  }

  setLimits(limits: Partial<Limits>): Limits {
    this.deps.limiter.limits = { ...this.deps.limiter.limits, ...limits };
    return this.limits();
  }

  /** Forgets every window and in-flight count, e.g. between tests. */
  resetLimits(): void {
    this.deps.limiter.reset();
  }

  setLatency(ms: number): void {
    this.deps.settings.latencyMs = ms;
  }

  setAutoApprove(on: boolean): void {
    this.deps.settings.autoApprove = on;
  }

  forgetRequestIds(): void {
    this.deps.idempotency.clear();
  }

  /** Calls to the token endpoint (by grant type) and the revoke endpoint, oldest first. */
  oauthCalls(): OAuthCallEntry[] {
    return this.deps.registry.calls.list();
  }

  oauthCallCounts(): OAuthCallCounts {
    return this.deps.registry.calls.counts();
  }

  clearOAuthCalls(): void {
    this.deps.registry.calls.clear();
  }

  /**
   * Every code and token the sandbox issued, for tests asserting that none leaks into logs or pages.
   * Programmatic only: the control API over HTTP never hands out tokens it did not just mint.
   */
  issuedSecrets(): IssuedSecret[] {
    return this.deps.registry.issuedSecrets();
  }

  issueAccessToken(realmId: string): string {
    if (!this.deps.store.getCompany(realmId)) throw new Error(`no sandbox company with realm ${realmId}`);
    return this.deps.registry.grantDirectly(this.deps.testClientId, realmId).accessToken;
  }

  deliverWebhook(delivery: WebhookDelivery): Promise<DeliveryReport> {
    return deliverWebhook(delivery, this.deps.clock);
  }
}
