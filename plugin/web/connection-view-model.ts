import { ADDRESS_TEXTS, CONNECT_NOTICES, CONNECTION_TEXTS, isNoticeCode, type NoticeTone } from '../messages';
import type { ConnectionRow } from '../persistence/connection-repository';

export interface ConnectionCardView {
  title: string;
  statusLabel: string;
  statusBadge: 'ok' | 'warning' | 'muted';
  companyName: string | null;
  details: { label: string; value: string }[];
  banner: { tone: NoticeTone; text: string } | null;
  connectLabel: string | null;
  canDisconnect: boolean;
  disconnectLabel: string;
  disconnectHint: string;
  csrfToken: string;
  connectAction: string;
  disconnectAction: string;
}

export interface NoticeView {
  tone: NoticeTone;
  text: string;
  /** A link the notice offers (the settings page at the configured address). */
  link?: { href: string; label: string };
}

const DAY_MS = 86_400_000;

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Why the connection needs a reconnect, in the admin's words. */
function needsReconnectText(reason: string | null): string {
  if (reason === 'company_unavailable') return CONNECTION_TEXTS.companyUnavailableBanner;
  if (reason === 'access_refused') return CONNECTION_TEXTS.accessRefusedBanner;
  return CONNECTION_TEXTS.needsReconnectBanner;
}

/** Everything the connection card shows, already worded and formatted: the template only prints it. */
export function buildConnectionCard(
  row: ConnectionRow | null,
  options: { now: Date; hardExpiryWarningDays: number; csrfToken: string; basePath: string },
): ConnectionCardView {
  const base = {
    title: CONNECTION_TEXTS.title,
    disconnectLabel: CONNECTION_TEXTS.disconnectButton,
    disconnectHint: CONNECTION_TEXTS.disconnectHint,
    csrfToken: options.csrfToken,
    connectAction: `${options.basePath}/connect`,
    disconnectAction: `${options.basePath}/disconnect`,
  };
  if (!row) {
    return { ...base, statusLabel: CONNECTION_TEXTS.notConnected, statusBadge: 'muted', companyName: null, details: [], banner: null, connectLabel: CONNECTION_TEXTS.connectButton, canDisconnect: false };
  }
  const details = [
    ...(row.country ? [{ label: 'Country', value: row.country }] : []),
    ...(row.offering_sku ? [{ label: 'Plan', value: row.offering_sku }] : []),
    { label: row.status === 'disconnected' ? 'Disconnected on' : 'Connected on', value: formatDate(row.disconnected_at && row.status === 'disconnected' ? row.disconnected_at : row.connected_at) },
  ];
  if (row.status === 'needs_reconnect') {
    return {
      ...base,
      statusLabel: CONNECTION_TEXTS.status.needs_reconnect,
      statusBadge: 'warning',
      companyName: row.company_name,
      details,
      banner: { tone: 'warning', text: needsReconnectText(row.needs_reconnect_reason) },
      connectLabel: CONNECTION_TEXTS.reconnectButton,
      canDisconnect: true,
    };
  }
  if (row.status === 'disconnected') {
    return {
      ...base,
      statusLabel: CONNECTION_TEXTS.status.disconnected,
      statusBadge: 'muted',
      companyName: row.company_name,
      details,
      banner: row.company_name ? { tone: 'info', text: CONNECTION_TEXTS.disconnectedNote(row.company_name) } : null,
      connectLabel: CONNECTION_TEXTS.connectButton,
      canDisconnect: false,
    };
  }
  const hard = row.refresh_token_hard_expires_at;
  const nearHardExpiry = hard !== null && hard.getTime() - options.now.getTime() <= options.hardExpiryWarningDays * DAY_MS;
  return {
    ...base,
    statusLabel: CONNECTION_TEXTS.status.connected,
    statusBadge: nearHardExpiry ? 'warning' : 'ok',
    companyName: row.company_name,
    details,
    banner: nearHardExpiry && hard ? { tone: 'warning', text: CONNECTION_TEXTS.hardExpiryWarning(formatDate(hard)) } : null,
    connectLabel: nearHardExpiry ? CONNECTION_TEXTS.reconnectButton : null,
    canDisconnect: true,
  };
}

/**
 * The notice a page shows once (see notice-flash.ts). The address notice names both addresses: the one the
 * browser used (kept by the server in the flash) and the configured public one, with a link to the latter.
 */
export function noticeFromFlash(flash: { code: string; address?: string } | null, publicSettingsUrl: string): NoticeView | null {
  if (!flash || !isNoticeCode(flash.code)) return null;
  const base = { ...CONNECT_NOTICES[flash.code] };
  const publicUrl = new URL(publicSettingsUrl).origin;
  if (flash.code === 'other_address') {
    const text = flash.address ? ADDRESS_TEXTS.otherAddress(flash.address, publicUrl) : base.text;
    return { tone: base.tone, text, link: { href: publicSettingsUrl, label: ADDRESS_TEXTS.openPublicSettings } };
  }
  return base;
}
