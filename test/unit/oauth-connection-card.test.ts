import { expect } from 'chai';
import { CONNECTION_TEXTS } from '../../plugin/messages';
import type { ConnectionRow } from '../../plugin/persistence/connection-repository';
import { buildConnectionCard, noticeFromFlash } from '../../plugin/web/connection-view-model';

const now = new Date('2026-11-25T12:00:00Z');
const options = { now, hardExpiryWarningDays: 30, csrfToken: 'csrf', basePath: '/settings/integrations/quickbooks' };
const connected = (over: Partial<ConnectionRow> = {}): ConnectionRow => ({
  id: '1', account_id: 'A', realm_id: '1', status: 'connected', company_name: 'Sample Test', country: 'US',
  offering_sku: 'QuickBooks Online Plus', company_prefs: {}, key_id: 'k1', access_token_enc: 'x', refresh_token_enc: 'y',
  access_token_expires_at: now, refresh_token_expires_at: now, refresh_token_hard_expires_at: new Date('2031-11-25T00:00:00Z'),
  last_refreshed_at: now, connected_at: new Date('2026-11-01T09:00:00Z'), disconnected_at: null,
  needs_reconnect_reason: null, needs_reconnect_at: null, created_at: now, updated_at: now, ...over,
});

describe('connection card view model', () => {
  it('offers Connect when there is no connection', () => {
    const card = buildConnectionCard(null, options);
    expect(card).to.include({ statusLabel: CONNECTION_TEXTS.notConnected, connectLabel: CONNECTION_TEXTS.connectButton, canDisconnect: false, banner: null });
    expect(card.connectAction).to.equal('/settings/integrations/quickbooks/connect');
  });

  it('shows a connected company with its plan and a formatted date, without a banner', () => {
    const card = buildConnectionCard(connected(), options);
    expect(card).to.include({ statusLabel: 'Connected', statusBadge: 'ok', companyName: 'Sample Test', connectLabel: null, canDisconnect: true, banner: null });
    expect(card.details).to.deep.include({ label: 'Connected on', value: 'November 1, 2026' });
    expect(card.details).to.deep.include({ label: 'Plan', value: 'QuickBooks Online Plus' });
  });

  it('warns from 30 days before the hard expiry, not before', () => {
    const edge = new Date(now.getTime() + 30 * 86_400_000);
    expect(buildConnectionCard(connected({ refresh_token_hard_expires_at: edge }), options).banner?.text).to.contain('December 25, 2026');
    const later = new Date(edge.getTime() + 60_000);
    expect(buildConnectionCard(connected({ refresh_token_hard_expires_at: later }), options).banner).to.equal(null);
  });

  it('shows the reconnect banner and a Reconnect button when the connection needs a reconnect', () => {
    const card = buildConnectionCard(connected({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' }), options);
    expect(card).to.deep.include({ statusBadge: 'warning', connectLabel: CONNECTION_TEXTS.reconnectButton, banner: { tone: 'warning', text: CONNECTION_TEXTS.needsReconnectBanner } });
  });

  it('says a disconnected company can be reconnected without duplicates', () => {
    const card = buildConnectionCard(connected({ status: 'disconnected', disconnected_at: new Date('2026-11-20T00:00:00Z') }), options);
    expect(card).to.include({ statusLabel: 'Disconnected', canDisconnect: false, connectLabel: CONNECTION_TEXTS.connectButton });
    expect(card.details).to.deep.include({ label: 'Disconnected on', value: 'November 20, 2026' });
    expect(card.banner?.text).to.contain('reuses all existing links');
  });

  it('only turns known notice codes into texts', () => {
    const settings = 'http://localhost:3000/settings/integrations/quickbooks/';
    expect(noticeFromFlash({ code: 'access_denied' }, settings)?.text).to.match(/^You cancelled/);
    expect(noticeFromFlash({ code: 'toString' }, settings)).to.equal(null);
    expect(noticeFromFlash({ code: '<b>x</b>' }, settings)).to.equal(null);
    expect(noticeFromFlash(null, settings)).to.equal(null);
  });

  it('names both addresses, and links to the configured one, when Connect was pressed at another address', () => {
    const settings = 'http://localhost:3000/settings/integrations/quickbooks/';
    const notice = noticeFromFlash({ code: 'other_address', address: 'http://127.0.0.1:3000' }, settings);
    expect(notice?.text).to.contain('You are using Work at http://127.0.0.1:3000, but QuickBooks sends you back to http://localhost:3000');
    expect(notice?.link).to.deep.equal({ href: settings, label: 'Open the QuickBooks settings at the configured address' });
  });
});
