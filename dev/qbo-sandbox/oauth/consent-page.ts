/** The consent page and the error page of the authorize endpoint. Every value is escaped. */
import type { CompanySummary } from '../contracts';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto}label{display:block;margin:.4rem 0}</style>
</head><body>${body}</body></html>`;
}

export function consentPage(input: { requestId: string; appName: string; companies: CompanySummary[]; defaultRealmId: string | null }): string {
  const choices = input.companies
    .map((company) => {
      const checked = company.realmId === input.defaultRealmId ? ' checked' : '';
      return `<label><input type="radio" name="realmId" value="${escapeHtml(company.realmId)}"${checked} required> ${escapeHtml(company.companyName)} <small>(${escapeHtml(company.country)}, ${escapeHtml(company.offeringSku)}, realm ${escapeHtml(company.realmId)})</small></label>`;
    })
    .join('\n');
  return page(
    'Connect to QuickBooks (sandbox)',
    `<h1>Connect ${escapeHtml(input.appName)} to QuickBooks</h1>
<p>This is the QBO sandbox standing in for Intuit. Pick the company to connect.</p>
<form method="post" action="/connect/oauth2/consent">
<input type="hidden" name="requestId" value="${escapeHtml(input.requestId)}">
${choices}
<p><button type="submit" name="decision" value="approve">Connect</button>
<button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button></p>
</form>`,
  );
}

export function authorizeErrorPage(message: string): string {
  return page('Authorization error', `<h1>Authorization error</h1><p>${escapeHtml(message)}</p>`);
}
