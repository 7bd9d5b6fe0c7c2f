import type { Knex } from 'knex';
import type { LifecycleBus } from '../lifecycle-bus';
import { ClientModel } from './client-model';
import { InvoiceModel } from './invoice-model';
import { ItemModel } from './item-model';
import { PaymentModel } from './payment-model';
import { SiteModel } from './site-model';

/** All of the stand-in's models, sharing one database and one lifecycle bus. */
export interface WorkModels {
  clients: ClientModel;
  sites: SiteModel;
  items: ItemModel;
  invoices: InvoiceModel;
  payments: PaymentModel;
}

export function createWorkModels(knex: Knex, bus: LifecycleBus): WorkModels {
  return {
    clients: new ClientModel(knex, bus),
    sites: new SiteModel(knex, bus),
    items: new ItemModel(knex),
    invoices: new InvoiceModel(knex, bus),
    payments: new PaymentModel(knex, bus),
  };
}
