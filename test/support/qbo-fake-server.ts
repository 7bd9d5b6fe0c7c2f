import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { responseText, type Recording } from './recordings';

/**
 * A loopback HTTP server that answers QuickBooks calls with scripted replies, most of them real recorded
 * bodies. It behaves like QBO where the client's safety depends on it: a POST whose requestid was already
 * applied gets the original answer again instead of being applied twice. It can also misbehave on purpose:
 * drop the connection before or after applying a write, hang until the client times out, or answer with
 * 429/5xx bursts. Every request is recorded (path, query, Authorization, requestid) for assertions.
 */

export type FakeAction =
  | 'respond' // answer normally
  | 'drop-before-apply' // destroy the socket; nothing applied
  | 'drop-after-apply' // apply the write (remember its answer under its requestid), then destroy the socket
  | 'hang'; // never answer

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (XML, HTML, raw JSON); anything else as JSON. */
  body?: unknown;
  action?: FakeAction;
  /** Answer this much later (to observe concurrency). */
  delayMs?: number;
  /** Whether this reply counts as QBO applying the write (default: a 2xx to a POST). False models a proxy answering. */
  applies?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  accept: string | null;
  contentType: string | null;
  body: string;
  requestId: string | null;
  /** True when the answer was the stored answer of an already-applied requestid. */
  replayed: boolean;
}

export interface AppliedWrite {
  requestId: string | null;
  path: string;
  body: string;
}

export function replyFromRecording(rec: Recording, overrides: Partial<FakeReply> = {}): FakeReply {
  return { status: rec.response.status, headers: { ...rec.response.headers }, body: responseText(rec), ...overrides };
}

/** The 429 body QBO sends as XML even when JSON was asked for (published in intuit/QuickBooks-V3-PHP-SDK#54). */
export function throttledReply(intuitTid = 'fake-tid-429'): FakeReply {
  return {
    status: 429,
    headers: { 'Content-Type': 'text/xml', intuit_tid: intuitTid },
    body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="2017-07-30T22:45:22.933-07:00" xmlns="http://schema.intuit.com/finance/v3">
    <Fault type="SERVICE">
        <Error code="3001">
            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
            <Detail>The request limit was reached.  Try again later</Detail>
        </Error>
    </Fault>
</IntuitResponse>`,
  };
}

export function serviceUnavailableReply(intuitTid = 'fake-tid-503'): FakeReply {
  return { status: 503, headers: { 'Content-Type': 'text/html', intuit_tid: intuitTid }, body: '<html><body>Service Unavailable</body></html>' };
}

export class QboFakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly appliedWrites: AppliedWrite[] = [];
  /** Called as each request arrives, before it is answered (e.g. to look at the database at that moment). */
  onRequest: ((request: RecordedRequest) => Promise<void> | void) | null = null;
  /** The most requests that were open at the same time. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly script: FakeReply[] = [];
  private readonly answersByRequestId = new Map<string, FakeReply>();
  private readonly server: http.Server;
  private port = 0;

  private constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<QboFakeServer> {
    const fake = new QboFakeServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replies for the next requests, in order. A request with nothing scripted gets a 599 the test will see. */
  enqueue(...replies: FakeReply[]): void {
    this.script.push(...replies);
  }

  get pendingReplies(): number {
    return this.script.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => (this.inFlight -= 1));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const query = Object.fromEntries(url.searchParams.entries());
    const requestId = url.searchParams.get('requestid');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      authorization: req.headers.authorization ?? null,
      accept: req.headers.accept ?? null,
      contentType: req.headers['content-type'] ?? null,
      body: Buffer.concat(chunks).toString('utf8'),
      requestId,
      replayed: false,
    };
    this.requests.push(recorded);
    await this.onRequest?.(recorded);

    // QBO: a repeated requestid in the same realm returns the original response instead of writing again.
    const stored = recorded.method === 'POST' && requestId ? this.answersByRequestId.get(`${url.pathname}|${requestId}`) : undefined;
    if (stored) {
      recorded.replayed = true;
      this.send(res, stored);
      return;
    }

    const reply = this.script.shift() ?? { status: 599, body: { error: `no scripted reply for ${recorded.method} ${recorded.path}` } };
    const action = reply.action ?? 'respond';
    const applies =
      reply.applies ?? (recorded.method === 'POST' && reply.status >= 200 && reply.status < 300 && (action === 'respond' || action === 'drop-after-apply'));
    if (applies) {
      this.appliedWrites.push({ requestId, path: url.pathname, body: recorded.body });
      if (requestId) this.answersByRequestId.set(`${url.pathname}|${requestId}`, { ...reply, action: 'respond' });
    }
    if (action === 'drop-before-apply' || action === 'drop-after-apply') {
      req.socket.destroy();
      return;
    }
    if (action === 'hang') return;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    this.send(res, reply);
  }

  private send(res: http.ServerResponse, reply: FakeReply): void {
    const text = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
    const headers = { 'Content-Type': 'application/json;charset=utf-8', ...reply.headers };
    res.writeHead(reply.status, headers);
    res.end(text);
  }
}

/** An AccessTokenProvider for tests: hands out numbered tokens and counts refreshes. */
export class FakeTokenProvider {
  readonly refreshes: { realmId: string; rejectedToken: string }[] = [];
  private generation = 1;

  constructor(private readonly prefix = 'test-access-token') {}

  get currentToken(): string {
    return `${this.prefix}-${this.generation}`;
  }

  getAccessToken(_realmId: string): Promise<string> {
    return Promise.resolve(this.currentToken);
  }

  refreshAfterRejection(realmId: string, rejectedToken: string): Promise<string> {
    this.refreshes.push({ realmId, rejectedToken });
    if (rejectedToken === this.currentToken) this.generation += 1;
    return Promise.resolve(this.currentToken);
  }
}
