import { NAV_TEXTS, RECONCILIATION_TEXTS, SYNC_NAV_TEXTS } from '../messages';

/**
 * The plugin's pages, in the order the admin meets them. Only pages that exist are listed: the sync
 * engine's pages (preview, sync now, history, log, review, reconciliation) add their entry here when they
 * land, next to a route in settings-router.ts.
 */
export const PLUGIN_PAGES = [
  { key: 'connection', path: '/', label: NAV_TEXTS.connection },
  { key: 'settings', path: '/settings', label: NAV_TEXTS.settings },
  { key: 'preview', path: '/preview', label: SYNC_NAV_TEXTS.preview },
  { key: 'sync', path: '/sync', label: SYNC_NAV_TEXTS.syncNow },
  { key: 'history', path: '/history', label: SYNC_NAV_TEXTS.history },
  { key: 'log', path: '/log', label: SYNC_NAV_TEXTS.log },
  { key: 'review', path: '/review', label: SYNC_NAV_TEXTS.review },
  { key: 'reconciliation', path: '/reconciliation', label: RECONCILIATION_TEXTS.nav },
  { key: 'import', path: '/import/products', label: NAV_TEXTS.productsImport },
] as const;

export type PluginPageKey = (typeof PLUGIN_PAGES)[number]['key'];

export interface NavLinkView {
  label: string;
  href: string;
  current: boolean;
}

export interface PluginNavView {
  label: string;
  links: NavLinkView[];
}

/** The links of the plugin's own navigation, the current page marked (aria-current="page"). */
export function buildPluginNav(basePath: string, current: PluginPageKey): PluginNavView {
  return {
    label: NAV_TEXTS.label,
    links: PLUGIN_PAGES.map((page) => ({ label: page.label, href: `${basePath}${page.path}`, current: page.key === current })),
  };
}
