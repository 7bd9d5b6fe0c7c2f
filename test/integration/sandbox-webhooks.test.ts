import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { DeliveryReport } from '../../dev/qbo-sandbox/webhooks/webhook-delivery';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import { startTestSandbox } from './sandbox-test-support';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A webhook receiver like the plugin's: keeps the raw body, answers with a set status after a set delay. */
async function startReceiver(answer: { status: number; delayMs: number }): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      setTimeout(() => res.writeHead(answer.status).end('ok'), answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/qbo`, received, server };
}

function signatureValid(raw: Buffer, signature: unknown, verifierToken: string): boolean {
  if (typeof signature !== 'string') return false;
  const expected = createHmac('sha256', verifierToken).update(raw).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function deliver(sandbox: RunningSandbox, body: unknown): Promise<{ status: number; report: DeliveryReport }> {
  const response = await fetch(`${sandbox.baseUrl}/_control/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, report: (await response.json()) as DeliveryReport };
}

describe('sandbox webhooks', () => {
  const verifierToken = 'verifier-token-from-the-developer-portal';
  let sandbox: RunningSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(async () => {
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
    await sandbox.close();
  });

  it('delivers the legacy eventNotifications body signed with the verifier token, and reports status and time', async () => {
    receiver = await startReceiver({ status: 200, delayMs: 150 });
    const realm = sandbox.defaultRealmId;
    const { status, report } = await deliver(sandbox, {
      url: receiver.url,
      verifierToken,
      format: 'legacy',
      events: [
        { realmId: realm, name: 'Customer', id: '58', operation: 'Update', lastUpdated: '2026-11-25T10:00:00.000Z' },
        { realmId: realm, name: 'Invoice', id: '130', operation: 'Create' },
      ],
    });
    expect(status).to.equal(200);
    expect(report.status).to.equal(200);
    expect(report.durationMs).to.be.at.least(140);
    expect(receiver.received).to.have.length(1);
    const [delivery] = receiver.received;
    expect(delivery?.headers['content-type']).to.equal('application/json');
    expect(signatureValid(delivery?.raw ?? Buffer.alloc(0), delivery?.headers['intuit-signature'], verifierToken)).to.equal(true);
    expect(signatureValid(delivery?.raw ?? Buffer.alloc(0), delivery?.headers['intuit-signature'], 'another-token')).to.equal(false);
    const body = JSON.parse(delivery?.raw.toString('utf8') ?? '') as { eventNotifications: Array<{ realmId: string; dataChangeEvent: { entities: Array<Record<string, string>> } }> };
    expect(body.eventNotifications).to.have.length(1);
    expect(body.eventNotifications[0]?.realmId).to.equal(realm);
    const entities = body.eventNotifications[0]?.dataChangeEvent.entities ?? [];
    expect(entities[0]).to.deep.equal({ name: 'Customer', id: '58', operation: 'Update', lastUpdated: '2026-11-25T10:00:00.000Z' });
    expect(entities[1]).to.include({ name: 'Invoice', id: '130', operation: 'Create' });
    expect(Date.parse(entities[1]?.lastUpdated ?? '')).to.be.closeTo(sandbox.clock.nowMs(), 5_000);
  });

  it('delivers the CloudEvents array with Intuit fields, signed the same way', async () => {
    receiver = await startReceiver({ status: 200, delayMs: 0 });
    const realm = sandbox.defaultRealmId;
    const { report } = await deliver(sandbox, {
      url: receiver.url,
      verifierToken,
      format: 'cloudevents',
      events: [
        { realmId: realm, name: 'Customer', id: '123', operation: 'Merge', data: { deletedid: '27' } },
        { realmId: realm, name: 'Payment', id: '9', operation: 'Void' },
      ],
    });
    expect(report.status).to.equal(200);
    const [delivery] = receiver.received;
    expect(signatureValid(delivery?.raw ?? Buffer.alloc(0), delivery?.headers['intuit-signature'], verifierToken)).to.equal(true);
    const events = JSON.parse(delivery?.raw.toString('utf8') ?? '') as Array<Record<string, unknown>>;
    expect(events).to.have.length(2);
    expect(events[0]).to.include({
      specversion: '1.0',
      type: 'qbo.customer.merged.v1',
      datacontenttype: 'application/json',
      intuitentityid: '123',
      intuitaccountid: realm,
    });
    expect(events[0]?.data).to.deep.equal({ deletedid: '27' });
    expect(events[0]?.id).to.be.a('string').and.match(/-Customer-123$/);
    expect(events[0]?.source).to.be.a('string').and.match(/^intuit\./);
    expect(Number.isNaN(Date.parse(String(events[0]?.time)))).to.equal(false);
    expect(events[1]).to.include({ type: 'qbo.payment.voided.v1', intuitentityid: '9' });
    expect(events[1]?.id).not.to.equal(events[0]?.id);
  });

  it('reports a failing receiver and an unreachable one', async () => {
    receiver = await startReceiver({ status: 500, delayMs: 0 });
    const event = { realmId: sandbox.defaultRealmId, name: 'Customer', id: '1', operation: 'Create' };
    const failing = await deliver(sandbox, { url: receiver.url, verifierToken, format: 'legacy', events: [event] });
    expect(failing.report.status).to.equal(500);

    const closed = await startReceiver({ status: 200, delayMs: 0 });
    const closedUrl = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = await deliver(sandbox, { url: closedUrl, verifierToken, format: 'legacy', events: [event] });
    expect(unreachable.report.status).to.equal(null);
    expect(unreachable.report.error).to.be.a('string').with.length.above(0);
  });

  it('refuses a delivery request without events or with a bad operation', async () => {
    receiver = await startReceiver({ status: 200, delayMs: 0 });
    const empty = await fetch(`${sandbox.baseUrl}/_control/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, verifierToken, format: 'legacy', events: [] }),
    });
    expect(empty.status).to.equal(400);
    const badOperation = await fetch(`${sandbox.baseUrl}/_control/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, verifierToken, format: 'legacy', events: [{ realmId: '1', name: 'Customer', id: '1', operation: 'Explode' }] }),
    });
    expect(badOperation.status).to.equal(400);
    expect(receiver.received).to.have.length(0);
  });
});
