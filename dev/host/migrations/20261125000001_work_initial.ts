import type { Knex } from 'knex';

/** The Work stand-in's own tables: a small model of the real monolith's schema. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.timestamps(true, true);
  });
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.text('email').notNullable().unique();
    t.text('name').notNullable();
    t.text('password_hash').notNullable();
    t.boolean('is_admin').notNullable().defaultTo(false);
    t.timestamps(true, true);
  });
  await knex.schema.createTable('clients', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.text('company_name');
    t.text('first_name');
    t.text('last_name');
    t.text('email');
    t.text('phone');
    t.text('address_line1');
    t.text('address_line2');
    t.text('city');
    t.text('state');
    t.text('postal_code');
    t.text('country');
    t.text('notes');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
    t.index(['account_id']);
  });
  await knex.schema.createTable('sites', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.bigInteger('client_id').notNullable().references('id').inTable('clients').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('contact_name');
    t.text('email');
    t.text('phone');
    t.text('address_line1');
    t.text('address_line2');
    t.text('city');
    t.text('state');
    t.text('postal_code');
    t.text('country');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
    t.index(['account_id', 'client_id']);
  });
  await knex.schema.createTable('items', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('description');
    t.text('sku');
    t.text('kind').notNullable().defaultTo('service');
    t.decimal('unit_price', 14, 4);
    t.boolean('taxable').notNullable().defaultTo(true);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
    t.unique(['account_id', 'name']);
  });
  await knex.raw(`ALTER TABLE items ADD CONSTRAINT items_kind_check CHECK (kind IN ('service', 'product'))`);
  await knex.schema.createTable('invoices', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.bigInteger('client_id').notNullable().references('id').inTable('clients').onDelete('RESTRICT');
    t.bigInteger('site_id').references('id').inTable('sites').onDelete('SET NULL');
    t.text('number').notNullable();
    t.date('issue_date').notNullable();
    t.date('due_date');
    t.text('notes');
    t.timestamps(true, true);
    t.unique(['account_id', 'number']);
  });
  await knex.schema.createTable('invoice_lines', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('invoice_id').notNullable().references('id').inTable('invoices').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.bigInteger('item_id').references('id').inTable('items').onDelete('SET NULL');
    t.text('description').notNullable();
    t.decimal('quantity', 14, 4).notNullable();
    t.decimal('unit_price', 14, 4).notNullable();
    t.boolean('taxable').notNullable().defaultTo(false);
    // Work taxes each line unrounded; the rate is kept per line so the stored tax can be explained.
    t.decimal('tax_rate', 8, 4).notNullable().defaultTo(0);
    t.decimal('tax_amount', 18, 8).notNullable().defaultTo(0);
    t.unique(['invoice_id', 'position']);
  });
  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.bigInteger('client_id').notNullable().references('id').inTable('clients').onDelete('RESTRICT');
    t.bigInteger('invoice_id').references('id').inTable('invoices').onDelete('SET NULL');
    t.decimal('amount', 14, 2).notNullable();
    t.date('paid_on').notNullable();
    t.text('method');
    t.text('reference');
    t.timestamps(true, true);
  });
  await knex.raw(`ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount > 0)`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['payments', 'invoice_lines', 'invoices', 'items', 'sites', 'clients', 'users', 'accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
