import type { Request, RequestHandler, Response } from 'express';
import type { AccountRef, WorkPort } from '../host/work-host';
import { RECONCILIATION_TEXTS } from '../messages';
import type { SyncHandle } from '../sync/engine/create-sync-engine';
import { withAccount } from './admin-route';
import type { PageRenderer } from './page-renderer';
import { differenceRows } from './reconciliation-view-model';

export interface ReconciliationControllerDeps {
  currentAccount(req: Request): AccountRef | null;
  sync: Pick<SyncHandle, 'invoiceDifferences'>;
  work: () => Pick<WorkPort, 'invoices'>;
  pages: Pick<PageRenderer, 'send'>;
}

/** Pushed invoices whose QuickBooks total differs from Work's, with the difference and the FAQ's explanation. */
export class ReconciliationController {
  constructor(private readonly deps: ReconciliationControllerDeps) {}

  readonly show: RequestHandler = withAccount(
    (req) => this.deps.currentAccount(req),
    async (req: Request, res: Response, account: AccountRef) => {
      const differences = await this.deps.sync.invoiceDifferences(account.id);
      const invoices = this.deps.work().invoices;
      const numbers = new Map<string, string>();
      for (const d of differences) {
        const invoice = await invoices.get(account.id, d.workInvoiceId);
        if (invoice) numbers.set(d.workInvoiceId, invoice.number);
      }
      const rows = differenceRows(differences, numbers);
      await this.deps.pages.send(req, res, {
        page: 'reconciliation',
        title: RECONCILIATION_TEXTS.title,
        view: 'sync/reconciliation.ejs',
        data: { title: RECONCILIATION_TEXTS.title, texts: RECONCILIATION_TEXTS, rows, caption: RECONCILIATION_TEXTS.caption(rows.length) },
      });
    },
  );
}
