/**
 * Faults the control API arms for the next N API requests that match a method, a path pattern and a realm.
 * The first armed rule that matches a request fires and loses one of its remaining uses.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const FAULT_KINDS = ['429', '500', '503', '504', '401', 'drop', 'drop-after-write', 'delay'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleInput = z
  .object({
    kind: z.enum(FAULT_KINDS),
    count: z.number().int().positive().default(1),
    method: z.string().min(1).optional(),
    /** A regular expression tested against the request path (e.g. "/customer$"). */
    path: z.string().min(1).optional(),
    realmId: z.string().min(1).optional(),
    /** Real milliseconds, for kind "delay". */
    delayMs: z.number().int().nonnegative().max(600_000).optional(),
  })
  .refine((rule) => rule.kind !== 'delay' || rule.delayMs !== undefined, { message: 'delay needs delayMs' })
  .refine((rule) => rule.path === undefined || isValidRegex(rule.path), { message: 'path must be a valid regular expression' });

export type FaultRuleInput = z.input<typeof faultRuleInput>;

export interface FaultRule {
  id: string;
  kind: FaultKind;
  remaining: number;
  method?: string;
  path?: string;
  realmId?: string;
  delayMs?: number;
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export interface RequestFacts {
  method: string;
  path: string;
  realmId: string;
}

export class FaultRules {
  private rules: FaultRule[] = [];

  /** Throws a ZodError on an invalid rule. */
  arm(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleInput.parse(input);
    const rule: FaultRule = { id: randomUUID(), kind: parsed.kind, remaining: parsed.count };
    if (parsed.method !== undefined) rule.method = parsed.method.toUpperCase();
    if (parsed.path !== undefined) rule.path = parsed.path;
    if (parsed.realmId !== undefined) rule.realmId = parsed.realmId;
    if (parsed.delayMs !== undefined) rule.delayMs = parsed.delayMs;
    this.rules.push(rule);
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that fires for this request, if any; it is used up as it fires. */
  take(facts: RequestFacts): FaultRule | null {
    const rule = this.rules.find(
      (candidate) =>
        (candidate.method === undefined || candidate.method === facts.method.toUpperCase()) &&
        (candidate.realmId === undefined || candidate.realmId === facts.realmId) &&
        (candidate.path === undefined || new RegExp(candidate.path).test(facts.path)),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((other) => other !== rule);
    return { ...rule };
  }
}
