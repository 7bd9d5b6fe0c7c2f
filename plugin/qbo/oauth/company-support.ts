/**
 * Which QuickBooks companies the plugin accepts. Intuit documents no way to recognise QuickBooks
 * Self-Employed, so anything that is not a known QuickBooks Online plan is refused rather than guessed.
 * Known values come from CompanyInfo.NameValue "OfferingSku" (e.g. "QuickBooks Online Plus"; Intuit's
 * developer sandboxes report the same names, sometimes abbreviated "QBO").
 */
export const SUPPORTED_PLANS = ['Simple Start', 'Essentials', 'Plus', 'Advanced'] as const;

export type CompanyRefusal = 'self_employed' | 'unsupported_sku' | 'company_unreadable';

export type CompanySupport = { supported: true; plan: string } | { supported: false; refusal: CompanyRefusal };

const normalise = (sku: string) => sku.replace(/\s+/g, ' ').trim();

export function decideCompanySupport(offeringSku: string | null): CompanySupport {
  if (offeringSku === null || normalise(offeringSku) === '') return { supported: false, refusal: 'company_unreadable' };
  const sku = normalise(offeringSku);
  if (/self[- ]?employed/i.test(sku)) return { supported: false, refusal: 'self_employed' };
  const match = /^(?:QuickBooks Online|QBO) (.+)$/i.exec(sku);
  const plan = SUPPORTED_PLANS.find((p) => p.toLowerCase() === match?.[1]?.toLowerCase());
  return plan ? { supported: true, plan } : { supported: false, refusal: 'unsupported_sku' };
}
