import type { NewWorkClient } from '../plugin/host/work-records';

/**
 * Demo clients. Besides ordinary ones, they hold every case the customer's FAQ warns about, so the sync can
 * be tried against them: blank company names, blank emails, two clients with one company name, names that
 * differ only in case and spacing, apostrophes, colons, tabs, non-Latin letters and names over 100 characters.
 */

export interface SeedClient extends NewWorkClient {
  /** Which FAQ case this client demonstrates, if any (documentation only, not stored). */
  faqCase?: string;
}

const NO_ADDRESS = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };

function client(companyName: string | null, firstName: string | null, lastName: string | null, email: string | null, extra: Partial<SeedClient> = {}): SeedClient {
  return { companyName, firstName, lastName, email, phone: null, billingAddress: NO_ADDRESS, notes: null, active: true, ...extra };
}

function address(line1: string, city: string, state: string, postalCode: string, country = 'US') {
  return { line1, line2: null, city, state, postalCode, country };
}

export const LONG_COMPANY_NAME =
  'The Extraordinarily Long-Named Regional Heating, Ventilation, Air Conditioning and Refrigeration Maintenance Cooperative of Greater Springfield';

export const FAQ_CLIENTS: readonly SeedClient[] = [
  client(null, 'Maria', 'Gonzalez', 'maria.gonzalez@example.test', { faqCase: 'blank company name' }),
  client(null, 'Tom', 'Baker', null, { faqCase: 'blank company name and blank email' }),
  client('', 'Priya', 'Natarajan', 'priya@example.test', { faqCase: 'empty-string company name' }),
  client('Evergreen Landscaping', 'Sam', 'Reed', null, { faqCase: 'blank email' }),
  client('Lakeside Bakery', 'Jo', 'March', null, { faqCase: 'blank email' }),
  client('Smith Plumbing', 'John', 'Smith', 'john@smithplumbing.test', { faqCase: 'same company name (1 of 2)' }),
  client('Smith Plumbing', 'Jane', 'Smith', 'jane@smith-plumbing.test', { faqCase: 'same company name (2 of 2)' }),
  client('Harbor View Dental', 'Lee', 'Park', 'office@harborview.test', { faqCase: 'name differing only in case/spacing (1 of 2)' }),
  client('HARBOR  VIEW DENTAL ', 'Lee', 'Park', 'billing@harborview.test', { faqCase: 'name differing only in case/spacing (2 of 2)' }),
  client("O'Brien & Sons Heating", 'Sean', "O'Brien", 'sean@obrien.test', { faqCase: 'apostrophe' }),
  client("Joe's Diner", 'Joe', "D'Angelo", 'joe@joesdiner.test', { faqCase: 'apostrophes' }),
  client('Acme: North Branch', 'Ann', 'Acme', 'north@acme.test', { faqCase: 'colon (QBO forbids it in names)' }),
  client('Tab\tSeparated Supplies', 'Tia', 'Tab', 'tia@tabsep.test', { faqCase: 'tab (QBO forbids it in names)' }),
  client('株式会社山田工務店', '太郎', '山田', 'yamada@koumuten.test', { faqCase: 'Japanese' }),
  client('ООО «Ромашка»', 'Иван', 'Петров', 'ivan@romashka.test', { faqCase: 'Cyrillic' }),
  client('Café Müller & Söhne', 'Zoë', 'Müller', 'zoe@cafe-muller.test', { faqCase: 'accented Latin' }),
  client('Ñandú Construcción S.A.', 'José', 'Núñez', 'jose@nandu.test', { faqCase: 'accented Latin' }),
  client(LONG_COMPANY_NAME, 'Pat', 'Long', 'pat@longname.test', { faqCase: 'company name over 100 characters' }),
  client('Dormant Holdings', 'Dee', 'Ormant', 'dee@dormant.test', { faqCase: 'inactive client', active: false }),
];

const ORDINARY_NAMES: readonly [string, string, string][] = [
  ['Blue Ridge Property Management', 'Alice', 'Nguyen'],
  ['Cedar Grove Apartments', 'Brian', 'Cole'],
  ['Downtown Dental Group', 'Carla', 'Diaz'],
  ['Eastside Auto Repair', 'Dan', 'Evans'],
  ['Fairview Elementary School', 'Erin', 'Fox'],
  ['Golden Gate Restaurants', 'Frank', 'Gill'],
  ['Highland Medical Center', 'Grace', 'Hall'],
  ['Ironwood Fitness', 'Hank', 'Ito'],
  ['Juniper Hotels', 'Isla', 'James'],
  ['Kingsley Law Offices', 'Jack', 'King'],
  ['Maple Street Pharmacy', 'Kara', 'Lopez'],
  ['Northgate Mall Management', 'Liam', 'Moore'],
  ['Oakridge Veterinary Clinic', 'Mia', 'Novak'],
  ['Pinecrest Senior Living', 'Noah', 'Ortiz'],
  ['Quarry Lane Offices', 'Olivia', 'Patel'],
  ['Riverside Church', 'Paul', 'Quinn'],
  ['Summit Brewing Co.', 'Quinn', 'Rossi'],
  ['Twin Oaks Daycare', 'Rosa', 'Singh'],
  ['Union Station Lofts', 'Steve', 'Tran'],
  ['Valley Farm Supply', 'Tina', 'Ueda'],
  ['Willow Creek HOA', 'Umar', 'Vance'],
];

const CITIES: readonly [string, string, string][] = [
  ['Springfield', 'IL', '62701'],
  ['Madison', 'WI', '53703'],
  ['Austin', 'TX', '78701'],
  ['Portland', 'OR', '97204'],
];

export const ORDINARY_CLIENTS: readonly SeedClient[] = ORDINARY_NAMES.map(([company, first, last], i) => {
  const [city, state, zip] = CITIES[i % CITIES.length] ?? ['Springfield', 'IL', '62701'];
  const slug = company.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return client(company, first, last, `accounts@${slug}.test`, {
    phone: `555-01${String(i).padStart(2, '0')}`,
    billingAddress: address(`${100 + i * 7} Main Street`, city, state, zip),
  });
});

/** The second tenant: a handful, including a company name the first tenant also has (tenants never mix). */
export const BLUEBIRD_CLIENTS: readonly SeedClient[] = [
  client('Smith Plumbing', 'Ray', 'Smith', 'ray@smithplumbing-bluebird.test'),
  client('Gulf Coast Marine', 'Gail', 'Coast', 'gail@gulfcoast.test'),
  client(null, 'Hiro', 'Tanaka', null),
  client('Les Entreprises Bélanger', 'Éloïse', 'Bélanger', 'eloise@belanger.test'),
  client('Redwood Cabins', 'Rob', 'Wood', 'rob@redwood.test'),
];
