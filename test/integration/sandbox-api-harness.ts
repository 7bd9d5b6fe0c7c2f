/**
 * Runs the real sandbox server (startSandbox: OAuth, Bearer check, limits, idempotency, then the API
 * router) with a SandboxStore the tests can reach, and a tiny HTTP client that sends a real Bearer token.
 */
import type { CompanyOptions, CompanySummary } from '../../dev/qbo-sandbox/contracts';
import { createApiRouter } from '../../dev/qbo-sandbox/api/api-router';
import { createSandboxPagesRouter } from '../../dev/qbo-sandbox/pages/pages-router';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { SandboxStore } from '../../dev/qbo-sandbox/store/sandbox-store';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: Record<string, unknown>;
}

export interface SandboxHarness {
  sandbox: RunningSandbox;
  store: SandboxStore;
  company(options?: Partial<CompanyOptions>): CompanySummary;
  api(realmId: string): RealmClient;
  close(): Promise<void>;
}

export interface RealmClient {
  realmId: string;
  get(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  query(statement: string): Promise<ApiResponse>;
}

let companyCounter = 0;

export async function startHarness(): Promise<SandboxHarness> {
  let store: SandboxStore | undefined;
  const sandbox = await startSandbox({
    companies: [{ companyName: 'Harness default', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: true }],
    // Generous limits: these tests are about the API, not about throttling.
    limits: { perMinute: 100_000, batchPerMinute: 100_000, concurrent: 1000 },
    parts: ({ clock }) => {
      store = new SandboxStore({ clock });
      return { store, apiRouter: createApiRouter({ store, clock }), pagesRouter: createSandboxPagesRouter({ store }) };
    },
  });
  if (!store) throw new Error('startSandbox did not build the parts');
  const typedStore = store;
  return {
    sandbox,
    store: typedStore,
    company(options = {}) {
      companyCounter += 1;
      return typedStore.createCompany({
        companyName: `Test company ${companyCounter}`,
        country: 'US',
        offeringSku: 'QuickBooks Online Plus',
        customTxnNumbers: true,
        ...options,
      });
    },
    api(realmId) {
      return realmClient(sandbox, realmId);
    },
    close: () => sandbox.close(),
  };
}

export function realmClient(sandbox: RunningSandbox, realmId: string): RealmClient {
  const token = sandbox.issueAccessToken(realmId);
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> => {
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${sandbox.baseUrl}/v3/company/${realmId}${path}`, init);
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  return {
    realmId,
    get: (path, headers = {}) => send('GET', path, undefined, headers),
    post: (path, body, headers = {}) => send('POST', path, body, headers),
    query: (statement) => send('GET', `/query?query=${encodeURIComponent(statement)}`, undefined, {}),
  };
}

/** The fault codes of a QBO fault body, or [] when it is not one. */
export function faultCodes(body: Record<string, unknown>): string[] {
  const fault = body['Fault'] as { Error?: Array<{ code?: string }> } | undefined;
  return (fault?.Error ?? []).map((e) => String(e.code));
}

/** The single entity object of a success body ({"Customer":{...},"time":...}). */
export function entityOf(body: Record<string, unknown>, entity: string): Record<string, unknown> {
  const value = body[entity];
  if (typeof value !== 'object' || value === null) throw new Error(`no ${entity} in ${JSON.stringify(body).slice(0, 300)}`);
  return value as Record<string, unknown>;
}
