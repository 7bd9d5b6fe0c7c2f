import type { Knex } from 'knex';
import { z } from 'zod';
import type { ItemPort } from '../../host/work-host';
import type { ProductImportRepository } from '../../persistence/product-import-repository';
import { planProduct, type PlannedChange } from './import-plan';
import type { ImportedProduct } from './product-rows';

const storedProductsSchema = z.array(
  z.object({
    row: z.number().int(),
    name: z.string(),
    description: z.string().nullable().optional(),
    sku: z.string().nullable().optional(),
    kind: z.enum(['service', 'product']).optional(),
    unitPrice: z.string().nullable().optional(),
    taxable: z.boolean().optional(),
  }),
);

export type ConfirmOutcome = { outcome: 'imported'; created: number; updated: number } | { outcome: 'already_imported' } | { outcome: 'not_found' };

const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Products imports: a preview stored for the account, then confirmed once, all in one transaction. */
export class ProductImportService {
  constructor(
    private readonly knex: Knex,
    private readonly imports: ProductImportRepository,
    /** Work's item port, asked for on each use (a host may offer its port only once it is running). */
    private readonly itemPort: () => Pick<ItemPort, 'findByName' | 'create' | 'update' | 'unitPriceDecimals'>,
    private readonly clock: () => Date,
  ) {}

  /** Keep the file's valid rows for confirmation and tell what importing them would do now. */
  async preview(accountId: string, fileName: string, products: ImportedProduct[]): Promise<{ importId: string; changes: PlannedChange[] }> {
    const now = this.clock();
    await this.imports.deleteStale(accountId, new Date(now.getTime() - STALE_AFTER_MS));
    const importId = await this.imports.insert(accountId, fileName, products, now);
    return { importId, changes: await this.plan(accountId, products) };
  }

  /**
   * Import a preview: every row is planned again against Work's items as they are now and applied through
   * the host's item port in one transaction, so a failure imports nothing. A second confirm changes nothing.
   */
  async confirm(accountId: string, importId: string): Promise<ConfirmOutcome> {
    return this.knex.transaction(async (trx) => {
      await this.imports.lockAccount(accountId, trx);
      const stored = await this.imports.lock(accountId, importId, trx);
      if (!stored) return { outcome: 'not_found' };
      if (stored.applied_at) return { outcome: 'already_imported' };
      const products = storedProductsSchema.parse(stored.rows);
      const changes = await this.plan(accountId, products, trx);
      const items = this.itemPort();
      let created = 0;
      let updated = 0;
      for (const change of changes) {
        if (change.action === 'create') {
          await items.create(accountId, change.item, { trx });
          created += 1;
        } else if (change.action === 'update') {
          await items.update(accountId, change.existing.id, change.patch, { trx });
          updated += 1;
        }
      }
      await this.imports.markApplied(accountId, importId, this.clock(), trx);
      return { outcome: 'imported', created, updated };
    });
  }

  private async plan(accountId: string, products: readonly ImportedProduct[], trx?: Knex.Transaction): Promise<PlannedChange[]> {
    const items = this.itemPort();
    const changes: PlannedChange[] = [];
    for (const product of products) {
      const existing = await items.findByName(accountId, product.name, trx ? { trx } : {});
      changes.push(planProduct(product, existing, items.unitPriceDecimals));
    }
    return changes;
  }
}
