/**
 * The control API over HTTP, at /_control (JSON in, JSON out). Never counted as API calls or against the
 * limits. GET /_control lists the routes.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z, ZodError } from 'zod';
import type { EntityName } from '../contracts';
import type { RequestLogFilter } from '../middleware/request-log';
import { webhookEvent } from '../webhooks/webhook-payloads';
import { faultRuleInput } from './fault-rules';
import type { SandboxControl } from './sandbox-control';

const ENTITY_NAMES = [
  'Customer', 'Vendor', 'Employee', 'Item', 'Invoice', 'Payment', 'Account',
  'PaymentMethod', 'TaxCode', 'Term', 'CompanyInfo', 'Preferences',
] as const satisfies readonly EntityName[];

const entityName = z.enum(ENTITY_NAMES);

const companyOptions = z.object({
  realmId: z.string().regex(/^\d+$/).optional(),
  companyName: z.string().min(1),
  country: z.enum(['US', 'CA', 'GB']),
  offeringSku: z.string().min(1),
  customTxnNumbers: z.boolean(),
  seed: z.boolean().optional(),
  demoCustomers: z.boolean().optional(),
});

const bulkLoadBody = z.object({ objects: z.array(z.record(z.string(), z.unknown())) });
const advanceBody = z.object({ ms: z.number().nonnegative() });
const limitsBody = z.object({
  perMinute: z.number().int().positive().optional(),
  concurrent: z.number().int().positive().optional(),
  batchPerMinute: z.number().int().positive().optional(),
});
const latencyBody = z.object({ ms: z.number().int().nonnegative() });
const autoApproveBody = z.object({ on: z.boolean() });
const tokenBody = z.object({ realmId: z.string().min(1) });
const webhookBody = z.object({
  url: z.string().url(),
  verifierToken: z.string().min(1),
  format: z.enum(['legacy', 'cloudevents']),
  events: z.array(webhookEvent).min(1),
});
const requestFilter = z.object({
  realmId: z.string().optional(),
  method: z.string().optional(),
  status: z.coerce.number().int().optional(),
  pathContains: z.string().optional(),
  requestid: z.string().optional(),
  faultCode: z.string().optional(),
  sinceSeq: z.coerce.number().int().optional(),
});

/** Drops undefined keys so the result satisfies exactOptionalPropertyTypes. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function param(req: Request, name: string): string {
  return (req.params as Record<string, string | undefined>)[name] ?? '';
}

const ROUTES = {
  'GET /companies': 'list companies',
  'POST /companies': 'create a company {companyName, country, offeringSku, customTxnNumbers, realmId?, seed?, demoCustomers?}',
  'GET /companies/:realmId/objects/:entity': "every stored object of an entity (store.all)",
  'POST /companies/:realmId/objects/:entity': 'bulk-load {objects: [...]} (store.bulkLoad)',
  'GET /faults': 'armed faults',
  'POST /faults': 'arm {kind: 429|500|503|504|401|drop|drop-after-write|delay, count?, method?, path? (regex), realmId?, delayMs?}',
  'DELETE /faults': 'disarm all',
  'GET /clock': 'sandbox time',
  'POST /clock/advance': 'move the sandbox clock {ms}',
  'GET /requests': 'request log; filters ?realmId&method&status&pathContains&requestid&faultCode&sinceSeq',
  'GET /request-counts': 'running totals {calls, writes, throttled, peakConcurrency}, ?realmId (all realms without)',
  'DELETE /requests': 'clear the request log and its totals',
  'GET /limits': 'per-realm limits',
  'PUT /limits': 'change {perMinute?, concurrent?, batchPerMinute?}',
  'POST /limits/reset': 'forget every window',
  'PUT /latency': 'real ms added to each API call {ms}',
  'PUT /auto-approve': 'skip the consent page {on}',
  'POST /tokens': 'an access token without the OAuth dance {realmId}',
  'GET /oauth-calls': 'calls to the token endpoint (by grant type) and the revoke endpoint: {counts, calls}',
  'DELETE /oauth-calls': 'clear the OAuth call log',
  'POST /webhooks': 'deliver {url, verifierToken, format: legacy|cloudevents, events: [{realmId, name, id, operation, lastUpdated?, data?}]}',
} as const;

export function createControlRouter(control: SandboxControl): Router {
  const router = express.Router();
  router.use(express.json({ limit: '50mb' }));

  router.get('/', (_req, res) => void res.json(ROUTES));

  router.get('/companies', (_req, res) => void res.json(control.listCompanies()));
  router.post('/companies', (req, res) => {
    const options = companyOptions.parse(req.body as unknown);
    res.status(201).json(control.createCompany(defined(options)));
  });
  router.get('/companies/:realmId/objects/:entity', (req, res) => {
    res.json(control.objects(param(req, 'realmId'), entityName.parse(param(req, 'entity'))));
  });
  router.post('/companies/:realmId/objects/:entity', (req, res) => {
    const body = bulkLoadBody.parse(req.body as unknown);
    res.status(201).json(control.bulkLoad(param(req, 'realmId'), entityName.parse(param(req, 'entity')), body.objects));
  });

  router.get('/faults', (_req, res) => void res.json(control.listFaults()));
  router.post('/faults', (req, res) => void res.status(201).json(control.armFault(faultRuleInput.parse(req.body as unknown))));
  router.delete('/faults', (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });

  router.get('/clock', (_req, res) => void res.json({ now: control.now() }));
  router.post('/clock/advance', (req, res) => void res.json({ now: control.advanceClock(advanceBody.parse(req.body as unknown).ms) }));

  router.get('/requests', (req, res) => {
    const filter: RequestLogFilter = defined(requestFilter.parse(req.query as unknown));
    res.json(control.requests(filter));
  });
  router.get('/request-counts', (req, res) => {
    const { realmId } = z.object({ realmId: z.string().optional() }).parse(req.query as unknown);
    res.json(control.requestCounts(realmId));
  });
  router.delete('/requests', (_req, res) => {
    control.clearRequests();
    res.status(204).end();
  });

  router.get('/limits', (_req, res) => void res.json(control.limits()));
  router.put('/limits', (req, res) => void res.json(control.setLimits(defined(limitsBody.parse(req.body as unknown)))));
  router.post('/limits/reset', (_req, res) => {
    control.resetLimits();
    res.status(204).end();
  });
  router.put('/latency', (req, res) => {
    control.setLatency(latencyBody.parse(req.body as unknown).ms);
    res.status(204).end();
  });
  router.put('/auto-approve', (req, res) => {
    control.setAutoApprove(autoApproveBody.parse(req.body as unknown).on);
    res.status(204).end();
  });

  router.post('/tokens', (req, res) => {
    const { realmId } = tokenBody.parse(req.body as unknown);
    res.status(201).json({ access_token: control.issueAccessToken(realmId), realmId });
  });

  router.get('/oauth-calls', (_req, res) => void res.json({ counts: control.oauthCallCounts(), calls: control.oauthCalls() }));
  router.delete('/oauth-calls', (_req, res) => {
    control.clearOAuthCalls();
    res.status(204).end();
  });

  router.post('/webhooks', async (req, res) => {
    const body = webhookBody.parse(req.body as unknown);
    res.json(await control.deliverWebhook(body));
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof ZodError) return void res.status(400).json({ error: 'invalid request', issues: error.issues });
    const message = error instanceof Error ? error.message : String(error);
    res.status(400).json({ error: message });
  });

  return router;
}
