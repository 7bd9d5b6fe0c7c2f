/**
 * The API router on its own (without the server half's middleware): what it guarantees whoever mounts it.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { SandboxClock } from '../../dev/qbo-sandbox/clock';
import { createApiRouter } from '../../dev/qbo-sandbox/api/api-router';
import { SandboxStore } from '../../dev/qbo-sandbox/store/sandbox-store';

describe('sandbox API router mounted alone', () => {
  let server: Server;
  let base: string;
  let realmId: string;
  before(async () => {
    const clock = new SandboxClock();
    const store = new SandboxStore({ clock });
    realmId = store.createCompany({ companyName: 'Alone', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: true }).realmId;
    const app = express();
    app.use('/v3/company/:realmId', (req, res, next) => {
      if (req.get('x-preset-tid')) res.setHeader('intuit_tid', 'preset-tid');
      next();
    });
    app.use('/v3/company/:realmId', createApiRouter({ store, clock }));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('answers an unknown realm with 403 and the lower-case auth fault shape', async () => {
    const res = await fetch(`${base}/v3/company/999/customer/1`, { headers: { Accept: 'application/json' } });
    expect(res.status).to.equal(403);
    const body = (await res.json()) as { fault: { error: Array<{ code: string }> } };
    expect(body.fault.error[0]?.code).to.equal('3100');
    expect(res.headers.get('intuit_tid')).to.be.a('string');
  });

  it('sets intuit_tid only when nobody set it before', async () => {
    const own = await fetch(`${base}/v3/company/${realmId}/item/1`, { headers: { Accept: 'application/json' } });
    expect(own.headers.get('intuit_tid')).to.match(/^1-[0-9a-f-]{36}$/);
    const preset = await fetch(`${base}/v3/company/${realmId}/item/1`, { headers: { Accept: 'application/json', 'x-preset-tid': '1' } });
    expect(preset.headers.get('intuit_tid')).to.equal('preset-tid');
  });

  it('answers XML, as QBO does, when Accept does not ask for JSON', async () => {
    const res = await fetch(`${base}/v3/company/${realmId}/item/1`);
    expect(res.headers.get('content-type')).to.match(/application\/xml/);
    const xml = await res.text();
    expect(xml).to.match(/^<\?xml/);
    expect(xml).to.match(/<Item domain="QBO" sparse="false"><Name>Services<\/Name>/);
    const json = await fetch(`${base}/v3/company/${realmId}/item/1`, { headers: { Accept: 'application/json; charset=utf-8' } });
    expect(json.headers.get('content-type')).to.match(/application\/json/);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${base}/v3/company/${realmId}/customer`, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: '{"DisplayName":' });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { Fault: { Error: Array<{ code: string }> } };
    expect(body.Fault.Error[0]?.code).to.equal('2010');
  });
});
