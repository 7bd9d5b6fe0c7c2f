import Decimal from 'decimal.js';
import type { NewWorkItem, WorkItem } from '../../host/work-records';
import { IMPORT_TEXTS } from '../../messages';
import type { ImportedProduct } from './product-rows';

export type PlannedChange =
  | { action: 'create'; product: ImportedProduct; item: NewWorkItem }
  | { action: 'update'; product: ImportedProduct; existing: WorkItem; patch: Partial<NewWorkItem>; changed: string[] }
  | { action: 'unchanged'; product: ImportedProduct; existing: WorkItem }
  | { action: 'reject'; product: ImportedProduct; reason: string };

/** QuickBooks keeps up to 7 decimal places in a unit price. */
export const QBO_PRICE_DECIMALS = 7;

const samePrice = (a: string | null, b: string | null): boolean => (a === null || b === null ? a === b : new Decimal(a).eq(new Decimal(b)));

/** A new Work item from an imported row: what the file did not say takes Work's defaults. */
function newItem(product: ImportedProduct): NewWorkItem {
  return {
    name: product.name,
    description: product.description ?? null,
    sku: product.sku ?? null,
    kind: product.kind ?? 'service',
    unitPrice: product.unitPrice ?? null,
    taxable: product.taxable ?? false,
    active: true,
  };
}

/**
 * What importing one product does to Work's item of the same name (or none): create it, change the fields
 * the file carries and that differ, or nothing; or refuse a price Work cannot keep exactly. Pure, so
 * preview and confirm decide alike.
 */
export function planProduct(product: ImportedProduct, existing: WorkItem | null, workPriceDecimals: number = QBO_PRICE_DECIMALS): PlannedChange {
  if (product.unitPrice && new Decimal(product.unitPrice).decimalPlaces() > workPriceDecimals) {
    return { action: 'reject', product, reason: IMPORT_TEXTS.reasons.priceTooPrecise(product.unitPrice, workPriceDecimals) };
  }
  if (!existing) return { action: 'create', product, item: newItem(product) };
  const patch: Partial<NewWorkItem> = {};
  if (product.description !== undefined && product.description !== existing.description) patch.description = product.description;
  if (product.sku !== undefined && product.sku !== existing.sku) patch.sku = product.sku;
  if (product.kind !== undefined && product.kind !== existing.kind) patch.kind = product.kind;
  if (product.unitPrice !== undefined && !samePrice(product.unitPrice, existing.unitPrice)) patch.unitPrice = product.unitPrice;
  if (product.taxable !== undefined && product.taxable !== existing.taxable) patch.taxable = product.taxable;
  const changed = Object.keys(patch);
  return changed.length === 0 ? { action: 'unchanged', product, existing } : { action: 'update', product, existing, patch, changed };
}
