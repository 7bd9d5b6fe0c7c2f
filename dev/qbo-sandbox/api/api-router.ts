/**
 * The QBO accounting API under /v3/company/:realmId, mounted by the server half after its own middleware
 * (auth, limits, idempotency, faults). Every answer is a QBO body or fault with an intuit_tid header.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxClock } from '../clock';
import { faults, QboFault } from '../faults';
import { lowerCaseFaultBody } from '../middleware/intuit-fault-bodies';
import type { SandboxStore } from '../store/sandbox-store';
import { formatQboTime } from '../store/qbo-time';
import type { ApiContext } from './api-context';
import { runBatch } from './batch-handler';
import { checkNumericId } from './body-checks';
import { runCdc } from './cdc-handler';
import { deleteEntity, saveEntity, voidEntity } from './entity-service';
import { READABLE_ENTITIES, WRITABLE_SERVICES } from './entity-registry';
import { executeQuery } from './query-handler';
import { bodyText, jsonBody } from './request-body';
import { ensureIntuitTid, sendQbo } from './respond';

export interface ApiRouterDeps {
  store: SandboxStore;
  clock: SandboxClock;
}

type Handler = (ctx: ApiContext, req: Request) => { status?: number; body: Record<string, unknown> };

export function createApiRouter(deps: ApiRouterDeps): Router {
  const router = express.Router({ mergeParams: true });
  router.use(express.raw({ type: () => true, limit: '10mb' }));
  router.use((req, res, next) => {
    ensureIntuitTid(res);
    const realmId = String(req.params['realmId'] ?? '');
    if (!deps.store.hasRealm(realmId)) {
      res.status(403).type('application/json').send(JSON.stringify(unknownRealmBody(deps.clock.now())));
      return;
    }
    next();
  });

  const handle = (handler: Handler) => (req: Request, res: Response) => {
    const realmId = String(req.params['realmId']);
    const company = deps.store.getCompany(realmId);
    if (!company) throw new Error('realm checked above');
    const ctx: ApiContext = { store: deps.store, clock: deps.clock, realmId, company, include: includeOptions(req) };
    try {
      const { status, body } = handler(ctx, req);
      sendQbo(req, res, status ?? 200, { ...body, time: formatQboTime(deps.clock.now(), true) });
    } catch (error) {
      const fault = error instanceof QboFault ? error : systemFault(error);
      sendQbo(req, res, fault.status, fault.body(deps.clock.now()));
    }
  };

  router.get('/query', handle((ctx, req) => {
    const statement = req.query['query'];
    if (typeof statement !== 'string' || statement === '') throw faults.queryMissing();
    return { body: { QueryResponse: executeQuery(ctx, statement) } };
  }));
  router.post('/query', handle((ctx, req) => {
    const statement = bodyText(req).trim();
    if (statement === '') throw faults.queryMissing();
    return { body: { QueryResponse: executeQuery(ctx, statement) } };
  }));
  router.post('/batch', handle((ctx, req) => ({ body: runBatch(ctx, jsonBody(req, 'IntuitBatchRequest')) })));
  router.get('/cdc', handle((ctx, req) => ({ body: runCdc(ctx, queryString(req, 'entities'), queryString(req, 'changedSince')) })));
  router.get('/companyinfo/:id', handle((ctx, req) => {
    const id = String(req.params['id']);
    if (id !== ctx.realmId) throw faults.objectNotFound(`Object Not Found : CompanyInfo ${id} is not this company`);
    const info = ctx.store.get(ctx.realmId, 'CompanyInfo', '1');
    if (!info) throw faults.objectNotFound();
    return { body: { CompanyInfo: structuredClone(info.object) } };
  }));
  router.get('/preferences', handle((ctx) => {
    const prefs = ctx.store.get(ctx.realmId, 'Preferences', '1');
    if (!prefs) throw faults.objectNotFound();
    return { body: { Preferences: structuredClone(prefs.object) } };
  }));
  router.get('/:entity/:id', handle((ctx, req) => {
    const segment = String(req.params['entity']);
    const entity = READABLE_ENTITIES[segment];
    if (!entity) throw faults.unsupportedOperation(relativePath(req));
    const id = String(req.params['id']);
    if (entity !== 'TaxCode') checkNumericId(id);
    const record = ctx.store.get(ctx.realmId, entity, id);
    if (!record) throw faults.objectNotFound(`Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.`);
    if (record.deleted) throw faults.deletedByAnotherUser();
    return { body: { [entity]: structuredClone(record.object) } };
  }));
  router.post('/:entity', handle((ctx, req) => {
    const segment = String(req.params['entity']);
    const service = WRITABLE_SERVICES[segment];
    if (!service) throw faults.unsupportedOperation(relativePath(req));
    const operation = queryString(req, 'operation');
    const body = jsonBody(req, service.entity);
    if (operation === undefined) return { body: { [service.entity]: saveEntity(ctx, service, body) } };
    if (operation === 'delete') return { body: { [service.entity]: deleteEntity(ctx, service, body) } };
    if (operation === 'void' && service.entity === 'Invoice') return { body: { [service.entity]: voidEntity(ctx, service, body) } };
    if (operation === 'update' && ctx.include.has('void') && service.entity === 'Payment') return { body: { [service.entity]: voidEntity(ctx, service, body) } };
    if (operation === 'update') return { body: { [service.entity]: saveEntity(ctx, service, body) } };
    throw faults.operationNotSupported(operation);
  }));
  router.use(handle((_ctx, req) => {
    throw faults.unsupportedOperation(relativePath(req));
  }));
  return router;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function includeOptions(req: Request): Set<string> {
  const value = queryString(req, 'include');
  return new Set(value ? value.split(',').map((s) => s.trim().toLowerCase()) : []);
}

function relativePath(req: Request): string {
  return req.originalUrl.split('?')[0] ?? req.originalUrl;
}

function systemFault(error: unknown): QboFault {
  return new QboFault(
    500,
    [{ Message: 'An application error has occurred while processing your request', Detail: `System Failure Error: ${error instanceof Error ? error.message : String(error)}`, code: '10000' }],
    'SystemFault',
  );
}

/** A realm the sandbox does not know: QBO answers 403 in the auth gateway's lower-case fault shape. */
function unknownRealmBody(now: Date): Record<string, unknown> {
  return lowerCaseFaultBody(
    {
      status: 403,
      code: '3100',
      message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
      detail: 'SignatureBaseString: unknown company (realm)',
      type: 'AUTHORIZATION',
    },
    now,
  );
}
