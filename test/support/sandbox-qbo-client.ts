/**
 * The plugin's real QBO http client (built by createQboHttpClient, as production builds it) talking to the
 * real QBO sandbox over HTTP. Shared by test/integration/qbo-sandbox-client*.test.ts and bench/.
 *
 * Two stand-ins only: the token provider hands out tokens the sandbox issues directly (the connect flow is
 * tested elsewhere), and the client's clock is the sandbox's compressed clock, so the limiter's minute and
 * the sandbox's minute are the same minute and a 60 s back-off takes 1 real second at time scale 60.
 */
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import type { RequestLogEntry } from '../../dev/qbo-sandbox/middleware/request-log';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../dev/qbo-sandbox/server';
import type { AccessTokenProvider } from '../../plugin/qbo/access-token-provider';
import type { Clock } from '../../plugin/qbo/clock';
import { createQboHttpClient } from '../../plugin/qbo/create-client';
import type { QboHttpClient } from '../../plugin/qbo/http-client';

/** Tokens straight from the sandbox; a rejection gets a fresh one, counted. Never logs a token. */
export class SandboxTokenProvider implements AccessTokenProvider {
  private readonly current = new Map<string, string>();
  refreshes = 0;

  constructor(private readonly sandbox: RunningSandbox) {}

  getAccessToken(realmId: string): Promise<string> {
    let token = this.current.get(realmId);
    if (token === undefined) {
      token = this.sandbox.issueAccessToken(realmId);
      this.current.set(realmId, token);
    }
    return Promise.resolve(token);
  }

  refreshAfterRejection(realmId: string, rejectedToken: string): Promise<string> {
    const stored = this.current.get(realmId);
    if (stored !== undefined && stored !== rejectedToken) return Promise.resolve(stored);
    this.refreshes += 1;
    const fresh = this.sandbox.issueAccessToken(realmId);
    this.current.set(realmId, fresh);
    return Promise.resolve(fresh);
  }
}

/** The sandbox's clock for the client: sandbox milliseconds, slept in real time divided by the scale. */
export class SandboxTimeClock implements Clock {
  /** Every wait asked for, in sandbox milliseconds (the limiter's and the retry policy's). */
  readonly sleeps: number[] = [];

  constructor(private readonly sandbox: RunningSandbox) {}

  now(): number {
    return this.sandbox.clock.nowMs();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, this.sandbox.clock.realMsFor(ms)));
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

export interface SandboxClientHarness {
  sandbox: RunningSandbox;
  realmId: string;
  tokens: SandboxTokenProvider;
  clock: SandboxTimeClock;
  client: QboHttpClient;
  /** The client's log lines (JSON), to check that no token leaks. */
  logs: string[];
  /** Another client on the same database and sandbox: a restarted process (new limiter, new repository). */
  newClient(): QboHttpClient;
  /** The sandbox's log of API requests to the realm. */
  requests(): RequestLogEntry[];
  close(): Promise<void>;
}

export async function startSandboxClient(knex: Knex, options: StartSandboxOptions = {}): Promise<SandboxClientHarness> {
  const sandbox = await startSandbox(options);
  const tokens = new SandboxTokenProvider(sandbox);
  const clock = new SandboxTimeClock(sandbox);
  const logs: string[] = [];
  const logger: Logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const build = (): QboHttpClient =>
    createQboHttpClient({ knex, tokens, logger, apiBaseUrl: sandbox.baseUrl, clock, timeoutMs: 10_000 });
  const realmId = sandbox.defaultRealmId;
  return {
    sandbox,
    realmId,
    tokens,
    clock,
    client: build(),
    logs,
    newClient: build,
    requests: () => sandbox.control.requests({ realmId }),
    close: () => sandbox.close(),
  };
}

/** The highest number of the realm's requests open at once, as the sandbox saw them. */
export function peakConcurrency(entries: readonly RequestLogEntry[]): number {
  return entries.reduce((peak, entry) => Math.max(peak, entry.inFlightAtStart), 0);
}

/** The most requests that arrived in any sliding minute (the window QBO's per-minute limits count in). */
export function busiestMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[j] ?? 0) <= (sorted[i] ?? 0) - 60_000) j += 1;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}
