/**
 * The demo tenants and their users. These credentials are for the local stand-in only and are printed by
 * `npm start`; they are documented in dev/host/README.md.
 */
export interface SeedUser {
  email: string;
  name: string;
  password: string;
  isAdmin: boolean;
}

export interface SeedAccount {
  name: string;
  users: SeedUser[];
}

export const NORTHWIND = 'Northwind Field Services';
export const BLUEBIRD = 'Bluebird Repairs';

export const SEED_ACCOUNTS: readonly SeedAccount[] = [
  {
    name: NORTHWIND,
    users: [
      { email: 'admin@northwind.test', name: 'Nora Admin', password: 'northwind-admin', isAdmin: true },
      { email: 'office@northwind.test', name: 'Oscar Office', password: 'northwind-office', isAdmin: false },
    ],
  },
  {
    name: BLUEBIRD,
    users: [
      { email: 'admin@bluebird.test', name: 'Bea Admin', password: 'bluebird-admin', isAdmin: true },
      { email: 'office@bluebird.test', name: 'Ben Office', password: 'bluebird-office', isAdmin: false },
    ],
  },
];
