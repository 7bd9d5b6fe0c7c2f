import axios from 'axios';
import { z } from 'zod';

/** What the plugin needs to know about a QuickBooks company when it connects. */
export interface CompanySnapshot {
  companyName: string;
  country: string | null;
  offeringSku: string | null;
  prefs: {
    customTxnNumbers: boolean | null;
    usingSalesTax: boolean | null;
    partnerTaxEnabled: boolean | null;
    multiCurrencyEnabled: boolean | null;
    homeCurrency: string | null;
  };
}

export interface CompanyReader {
  read(realmId: string, accessToken: string): Promise<CompanySnapshot>;
}

/** CompanyInfo or Preferences could not be read: not a QuickBooks Online company we can work with. */
export class CompanyInfoUnreadableError extends Error {
  /** `unreachable`: no answer at all (try again later); `refused`: QuickBooks answered, but not with a company. */
  constructor(readonly detail: string, readonly kind: 'refused' | 'unreachable' = 'refused') {
    super(`QuickBooks company details could not be read: ${detail}`);
    this.name = 'CompanyInfoUnreadableError';
  }
}

const companyInfoSchema = z.object({
  CompanyInfo: z.object({
    CompanyName: z.string().min(1),
    Country: z.string().optional(),
    NameValue: z.array(z.object({ Name: z.string(), Value: z.unknown() })).optional(),
  }),
});

const preferencesSchema = z.object({
  Preferences: z.object({
    SalesFormsPrefs: z.object({ CustomTxnNumbers: z.boolean().optional() }).optional(),
    TaxPrefs: z.object({ UsingSalesTax: z.boolean().optional(), PartnerTaxEnabled: z.boolean().optional() }).optional(),
    CurrencyPrefs: z
      .object({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: z.object({ value: z.string() }).optional() })
      .optional(),
  }),
});

export const REALM_ID_PATTERN = /^\d{1,32}$/;

/** 429 (throttled) and 5xx (504 included: outcome unknown) are QuickBooks' trouble, not the company's. */
const isTransientStatus = (status: number): boolean => status === 429 || status >= 500;
const MINOR_VERSION = '75';

/**
 * Two plain GETs made once at connect time, before the connection is stored (so the shared HTTP client,
 * which asks the token store for tokens, cannot be used yet). Errors never carry the request: axios errors
 * hold the Authorization header, so only the status or the network code is kept.
 */
export class AxiosCompanyReader implements CompanyReader {
  constructor(private readonly deps: { apiBaseUrl: string; timeoutMs: number }) {}

  async read(realmId: string, accessToken: string): Promise<CompanySnapshot> {
    if (!REALM_ID_PATTERN.test(realmId)) throw new CompanyInfoUnreadableError('the company id is not valid');
    const info = companyInfoSchema.safeParse(await this.get(`/v3/company/${realmId}/companyinfo/${realmId}`, accessToken));
    if (!info.success) throw new CompanyInfoUnreadableError('CompanyInfo has an unexpected shape');
    const prefs = preferencesSchema.safeParse(await this.get(`/v3/company/${realmId}/preferences`, accessToken));
    if (!prefs.success) throw new CompanyInfoUnreadableError('Preferences have an unexpected shape');
    const c = info.data.CompanyInfo;
    const sku = c.NameValue?.find((nv) => nv.Name === 'OfferingSku')?.Value;
    const p = prefs.data.Preferences;
    return {
      companyName: c.CompanyName,
      country: c.Country ?? null,
      offeringSku: typeof sku === 'string' ? sku : null,
      prefs: {
        customTxnNumbers: p.SalesFormsPrefs?.CustomTxnNumbers ?? null,
        usingSalesTax: p.TaxPrefs?.UsingSalesTax ?? null,
        partnerTaxEnabled: p.TaxPrefs?.PartnerTaxEnabled ?? null,
        multiCurrencyEnabled: p.CurrencyPrefs?.MultiCurrencyEnabled ?? null,
        homeCurrency: p.CurrencyPrefs?.HomeCurrency?.value ?? null,
      },
    };
  }

  private async get(path: string, accessToken: string): Promise<unknown> {
    try {
      const response = await axios.get<unknown>(`${this.deps.apiBaseUrl}${path}`, {
        params: { minorversion: MINOR_VERSION },
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        timeout: this.deps.timeoutMs,
        responseType: 'json',
      });
      return response.data;
    } catch (error) {
      const status = axios.isAxiosError(error) ? error.response?.status : undefined;
      const code = axios.isAxiosError(error) ? error.code : undefined;
      if (status === undefined) throw new CompanyInfoUnreadableError(code ?? 'no answer', 'unreachable');
      // Throttling and server errors say nothing about the company: QuickBooks is busy or down, try later.
      throw new CompanyInfoUnreadableError(`HTTP ${status}`, isTransientStatus(status) ? 'unreachable' : 'refused');
    }
  }
}
