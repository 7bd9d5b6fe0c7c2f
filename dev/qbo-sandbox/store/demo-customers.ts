/**
 * Demo customers for the companies `npm start` offers, like the sample data of an Intuit sandbox company
 * (many names are Intuit's own sample customers), plus customers that meet the Work stand-in's seeded
 * clients (seeds/demo-clients.ts) so a first sync shows every rule of the customer's FAQ:
 * - matched by company name and email (e-mails differing only in case), or by company name alone;
 * - a near-duplicate pair (two active customers whose company names differ only in case, spaces and
 *   punctuation) that meets one Work client: ambiguous, so it must go to the review list;
 * - one QBO customer for the two Work clients named "Smith Plumbing" (the reverse ambiguity);
 * - sub-customers (Job, ParentRef) that become Sites, inactive customers (" (deleted)", never imported, still
 *   holding their name, one of them a Work client's), and a vendor named like a Work client (6240 on create).
 * Objects are built exactly as the API's customer rules would store them (checked by a test).
 */
import type { CompanySummary, Country, QboObject } from '../contracts';
import { formatQboTime } from './qbo-time';
import { currencyOf } from './seed-company';
import type { SandboxStore } from './sandbox-store';
import { DELETED_SUFFIX } from './stored-record';

interface DemoAddress {
  line1: string;
  city: string;
  region: string;
  postalCode: string;
}

interface DemoCustomer {
  displayName: string;
  company?: string;
  given?: string;
  family?: string;
  email?: string;
  phone?: string;
  address?: DemoAddress;
  /** DisplayName of the parent: a sub-customer (Job). */
  parent?: string;
  active?: boolean;
  notes?: string;
}

const at = (line1: string, city: string, region: string, postalCode: string): DemoAddress => ({ line1, city, region, postalCode });

/** Intuit's US sample company customers (names and towns as in its sandbox), none of them in Work. */
const INTUIT_SAMPLE_US: DemoCustomer[] = [
  { displayName: "Amy's Bird Sanctuary", company: "Amy's Bird Sanctuary", given: 'Amy', family: 'Lauterbach', email: 'Birds@Intuit.com', phone: '(650) 555-3311', address: at('4581 Finch St.', 'Bayshore', 'CA', '94326') },
  { displayName: "Bill's Windsurf Shop", company: "Bill's Windsurf Shop", given: 'Bill', family: 'Lucchini', email: 'Surf@Intuit.com', phone: '(415) 444-6538', address: at('12 Ocean Dr.', 'Half Moon Bay', 'CA', '94213') },
  { displayName: 'Cool Cars', company: 'Cool Cars', given: 'Grace', family: 'Pariente', email: 'Cool_Cars@intuit.com', phone: '(415) 555-9933', address: at('65 Ocean Dr.', 'Half Moon Bay', 'CA', '94213') },
  { displayName: 'Diego Rodriguez', given: 'Diego', family: 'Rodriguez', email: 'Diego@Rodriguez.com', phone: '(650) 555-4477', address: at('321 Channing', 'Palo Alto', 'CA', '94303') },
  { displayName: 'Dukes Basketball Camp', company: 'Dukes Basketball Camp', given: 'Peter', family: 'Dukes', email: 'Dukes_bball@intuit.com', phone: '(520) 420-5638', address: at('25 Court St.', 'Tucson', 'AZ', '85719') },
  { displayName: 'Freeman Sporting Goods', company: 'Freeman Sporting Goods', given: 'Sasha', family: 'Tillou', email: 'Sporting_goods@intuit.com', phone: '(650) 555-0987', address: at('370 Easy St.', 'Middlefield', 'CA', '94482') },
  { displayName: '0969 Ocean View Road', parent: 'Freeman Sporting Goods', company: 'Freeman Sporting Goods', given: 'Sasha', family: 'Tillou', address: at('370 Easy St.', 'Middlefield', 'CA', '94482') },
  { displayName: '55 Twin Lane', parent: 'Freeman Sporting Goods', company: 'Freeman Sporting Goods', given: 'Amelia', address: at('370 Easy St.', 'Middlefield', 'CA', '94482') },
  { displayName: 'Geeta Kalapatapu', given: 'Geeta', family: 'Kalapatapu', email: 'Geeta@Kalapatapu.com', phone: '(650) 555-0022', address: at('1987 Main St.', 'Middlefield', 'CA', '94303') },
  { displayName: 'Gevelber Photography', company: 'Gevelber Photography', given: 'Lisa', family: 'Gevelber', email: 'Photography@intuit.com', phone: '(415) 222-4345', address: at('1103 Cherry Ln.', 'San Pablo', 'CA', '87999') },
  { displayName: "Jeff's Jalopies", company: "Jeff's Jalopies", given: 'Jeff', family: 'Chin', email: 'Jalopies@intuit.com', phone: '(650) 555-8989', address: at('12 Willow Rd.', 'Menlo Park', 'CA', '94305') },
  { displayName: 'John Melton', given: 'John', family: 'Melton', email: 'John@Melton.com', phone: '(650) 555-5879', address: at('85 Pine St.', 'Menlo Park', 'CA', '94304') },
  { displayName: 'Kookies by Kathy', company: 'Kookies by Kathy', given: 'Kathy', family: 'Kuplis', email: 'qbwebsamplecompany@yahoo.com', phone: '(650) 555-7896', address: at('789 Sugar Lane', 'Middlefield', 'CA', '94303') },
  { displayName: 'Paulsen Medical Supplies', company: 'Paulsen Medical Supplies', given: 'Kathy', family: 'Paulsen', email: 'Medical@intuit.com', phone: '(650) 555-4433', address: at('900 Main St.', 'Middlefield', 'CA', '94303') },
  { displayName: "Pye's Cakes", company: "Pye's Cakes", given: 'Karen', family: 'Pye', email: 'pyescakes@intuit.com', phone: '(973) 555-4652', address: at('350 Mountain View Dr.', 'South Orange', 'NJ', '07079') },
  { displayName: 'Red Rock Diner', company: 'Red Rock Diner', given: 'Stephanie', family: 'Martini', email: 'qbwebsamplecompany@yahoo.com', phone: '(650) 555-4973', address: at('500 Red Rock Rd.', 'Bayshore', 'CA', '94326') },
  { displayName: 'Shara Barnett', given: 'Shara', family: 'Barnett', email: 'Design@intuit.com', phone: '(650) 555-4563', address: at('19 Main St.', 'Middlefield', 'CA', '94303') },
  { displayName: 'Barnett Design', parent: 'Shara Barnett', company: 'Barnett Design', given: 'Shara', family: 'Barnett', address: at('19 Main St.', 'Middlefield', 'CA', '94303') },
  { displayName: 'Sushi by Katsuyuki', company: 'Sushi by Katsuyuki', given: 'Katsuyuki', family: 'Yanagawa', email: 'Sushi@intuit.com', phone: '(505) 570-0147', address: at('898 Elm St.', 'Maplewood', 'NJ', '07040') },
  { displayName: 'Travis Waldron', given: 'Travis', family: 'Waldron', email: 'Travis@Waldron.com', phone: '(650) 555-9834', address: at('78 First St.', 'Monlo Park', 'CA', '94304') },
  { displayName: 'Video Games by Dan', company: 'Video Games by Dan', given: 'Dan', family: 'Miller', email: 'Videogames@intuit.com', phone: '(650) 555-3456', address: at('1525 Hagan Rd.', 'Palo Alto', 'CA', '94303') },
  { displayName: 'Weiskopf Consulting', company: 'Weiskopf Consulting', given: 'Nicola', family: 'Weiskopf', email: 'Consulting@intuit.com', phone: '(650) 555-1423', address: at('45612 Main St.', 'Bayshore', 'CA', '94326') },
  { displayName: 'Rondonuwu Fruit and Vegi', company: 'Rondonuwu Fruit and Vegi', given: 'Kirby', family: 'Freeman', email: 'Tony@Rondonuwu.com', phone: '(650) 555-2645', address: at('847 California Ave.', 'San Jose', 'CA', '95021'), active: false },
  { displayName: 'Kate Whelan', given: 'Kate', family: 'Whelan', email: 'Kate@Whelan.com', phone: '(650) 554-1479', address: at('45 First St.', 'Menlo Park', 'CA', '94304'), active: false },
];

/** Customers that meet the Northwind account's seeded clients in Work (seeds/demo-clients.ts). */
const MEETS_NORTHWIND: DemoCustomer[] = [
  // Company name and e-mail (the e-mail in another case, compared case-insensitively).
  { displayName: 'Cedar Grove Apartments', company: 'Cedar Grove Apartments', given: 'Brian', family: 'Cole', email: 'Accounts@Cedar-Grove-Apartments.test', address: at('107 Main Street', 'Madison', 'WI', '53703') },
  { displayName: 'Downtown Dental Group', company: 'Downtown Dental Group', given: 'Carla', family: 'Diaz', email: 'accounts@downtown-dental-group.test', address: at('114 Main Street', 'Austin', 'TX', '78701') },
  { displayName: 'Eastside Auto Repair', company: 'Eastside Auto Repair', given: 'Dan', family: 'Evans', email: 'accounts@eastside-auto-repair.test', address: at('121 Main Street', 'Portland', 'OR', '97204') },
  { displayName: 'Golden Gate Restaurants', company: 'Golden Gate Restaurants', given: 'Frank', family: 'Gill', email: 'accounts@golden-gate-restaurants.test', address: at('135 Main Street', 'Madison', 'WI', '53703') },
  { displayName: "O'Brien & Sons Heating", company: "O'Brien & Sons Heating", given: 'Sean', family: "O'Brien", email: 'sean@obrien.test', address: at('14 Shamrock Way', 'Springfield', 'IL', '62702') },
  { displayName: 'Café Müller & Söhne', company: 'Café Müller & Söhne', given: 'Zoë', family: 'Müller', email: 'zoe@cafe-muller.test', address: at('3 Lindenweg', 'Madison', 'WI', '53704') },
  // The second "Harbor View Dental" client in Work carries this e-mail: name and e-mail pick it.
  { displayName: 'Harbor View Dental', company: 'Harbor View Dental', given: 'Lee', family: 'Park', email: 'billing@harborview.test', address: at('9 Harbor Rd.', 'Portland', 'OR', '97205') },
  // Company name alone: Work has no e-mail for these, or another one.
  { displayName: 'Evergreen Landscaping', company: 'Evergreen Landscaping', given: 'Sam', family: 'Reed', email: 'sam@evergreen-landscaping.test', address: at('55 Fir Ave.', 'Portland', 'OR', '97206') },
  { displayName: 'Lakeside Bakery', company: 'Lakeside Bakery', given: 'Jo', family: 'March', address: at('2 Lakeshore Dr.', 'Madison', 'WI', '53703') },
  { displayName: 'Highland Medical Center', company: 'Highland Medical Center', given: 'Grace', family: 'Hall', email: 'billing@highland-medical.test', address: at('142 Main Street', 'Austin', 'TX', '78701') },
  { displayName: 'Ironwood Fitness', company: 'Ironwood Fitness', given: 'Hank', family: 'Ito', address: at('149 Main Street', 'Portland', 'OR', '97204') },
  // One QBO customer for the two Work clients named "Smith Plumbing", matching neither e-mail: review.
  { displayName: 'Smith Plumbing', company: 'Smith Plumbing', given: 'John', family: 'Smith', email: 'office@smithplumbing.test', address: at('8 Pipe St.', 'Springfield', 'IL', '62701') },
  // Two active customers whose company names normalise equal, for one Work client: review.
  { displayName: 'Summit Brewing Co.', company: 'Summit Brewing Co.', given: 'Quinn', family: 'Rossi', email: 'accounts@summit-brewing-co.test', address: at('212 Main Street', 'Madison', 'WI', '53703') },
  { displayName: 'Summit Brewing (taproom)', company: 'SUMMIT  BREWING CO ', given: 'Quinn', family: 'Rossi', email: 'taproom@summit-brewing.test', address: at('214 Main Street', 'Madison', 'WI', '53703') },
  // Sub-customers under matched customers (no company name of their own): Sites of the matching client at onboarding.
  { displayName: 'Pinecrest Senior Living', company: 'Pinecrest Senior Living', given: 'Noah', family: 'Ortiz', email: 'accounts@pinecrest-senior-living.test', address: at('191 Main Street', 'Austin', 'TX', '78701') },
  { displayName: 'Pinecrest North Wing', parent: 'Pinecrest Senior Living', address: at('193 Main Street', 'Austin', 'TX', '78701') },
  { displayName: 'Pinecrest Garden Cottages', parent: 'Pinecrest Senior Living', address: at('301 Garden Way', 'Austin', 'TX', '78702') },
  { displayName: 'Juniper Hotels', company: 'Juniper Hotels', given: 'Isla', family: 'James', email: 'accounts@juniper-hotels.test', address: at('156 Main Street', 'Madison', 'WI', '53703') },
  { displayName: 'Juniper Hotel Riverside', parent: 'Juniper Hotels', address: at('1 River Rd.', 'Madison', 'WI', '53705') },
  // Inactive in QBO, active in Work: never imported, and its name still blocks a new "Valley Farm Supply".
  { displayName: 'Valley Farm Supply', company: 'Valley Farm Supply', given: 'Tina', family: 'Ueda', email: 'accounts@valley-farm-supply.test', address: at('233 Main Street', 'Austin', 'TX', '78701'), active: false },
  // Inactive on both sides.
  { displayName: 'Dormant Holdings', company: 'Dormant Holdings', given: 'Dee', family: 'Ormant', email: 'dee@dormant.test', active: false },
];

/** Customers of a Canadian sample company, two of them meeting the Bluebird account's clients. */
const CANADA: DemoCustomer[] = [
  { displayName: 'Gulf Coast Marine', company: 'Gulf Coast Marine', given: 'Gail', family: 'Coast', email: 'gail@gulfcoast.test', address: at('40 Wharf St.', 'Halifax', 'NS', 'B3J 1S9') },
  { displayName: 'Les Entreprises Bélanger', company: 'Les Entreprises Bélanger', given: 'Éloïse', family: 'Bélanger', address: at('1200 rue Sainte-Catherine', 'Montréal', 'QC', 'H3B 1K9') },
  { displayName: 'Maple Leaf Roofing', company: 'Maple Leaf Roofing', given: 'Owen', family: 'Tremblay', email: 'owen@mapleleafroofing.test', address: at('88 King St. W', 'Toronto', 'ON', 'M5H 1J9') },
  { displayName: 'Maple Leaf Roofing Depot', parent: 'Maple Leaf Roofing', company: 'Maple Leaf Roofing', address: at('15 Industrial Rd.', 'Toronto', 'ON', 'M4B 1B3') },
  { displayName: 'Prairie Grain Co-op', company: 'Prairie Grain Co-op', given: 'Ava', family: 'Nielsen', email: 'ava@prairiegrain.test', address: at('3 Elevator Rd.', 'Regina', 'SK', 'S4P 3Y2') },
  { displayName: 'Rocky Mountain Lodge', company: 'Rocky Mountain Lodge', given: 'Liam', family: 'Roy', email: 'liam@rockylodge.test', address: at('1 Banff Ave.', 'Banff', 'AB', 'T1L 1A1'), active: false },
];

const UNITED_KINGDOM: DemoCustomer[] = [
  { displayName: 'Thames Valley Plumbing Ltd', company: 'Thames Valley Plumbing Ltd', given: 'Oliver', family: 'Hughes', email: 'oliver@thamesvalley.test', address: at('12 High Street', 'Reading', 'Berkshire', 'RG1 2AB') },
  { displayName: 'Pennine Joinery', company: 'Pennine Joinery', given: 'Amelia', family: 'Walsh', email: 'amelia@penninejoinery.test', address: at('4 Mill Lane', 'Halifax', 'West Yorkshire', 'HX1 1AA') },
  { displayName: 'Pennine Joinery Workshop', parent: 'Pennine Joinery', company: 'Pennine Joinery', address: at('Unit 7, Calder Park', 'Halifax', 'West Yorkshire', 'HX2 0AB') },
  { displayName: 'Cotswold Tearooms', company: 'Cotswold Tearooms', given: 'Harriet', family: 'Cole', email: 'harriet@cotswoldtea.test', address: at('2 Market Square', 'Stow-on-the-Wold', 'Gloucestershire', 'GL54 1AB') },
  { displayName: 'Kestrel Estates', company: 'Kestrel Estates', given: 'George', family: 'Price', address: at('9 Station Road', 'Cambridge', 'Cambridgeshire', 'CB1 2JW'), active: false },
];

const BY_COUNTRY: Record<Country, DemoCustomer[]> = {
  US: [...INTUIT_SAMPLE_US, ...MEETS_NORTHWIND],
  CA: CANADA,
  GB: UNITED_KINGDOM,
};

/** Vendors named like a Work client that is not yet in QBO: creating that client's customer is 6240. */
const DEMO_VENDORS: Record<Country, string[]> = {
  US: ['Kingsley Law Offices'],
  CA: ['Redwood Cabins'],
  GB: [],
};

function personFields(c: DemoCustomer): QboObject {
  const out: QboObject = {};
  if (c.given !== undefined) out['GivenName'] = c.given;
  if (c.family !== undefined) out['FamilyName'] = c.family;
  if (c.company !== undefined) out['CompanyName'] = c.company;
  if (c.phone !== undefined) out['PrimaryPhone'] = { FreeFormNumber: c.phone };
  if (c.email !== undefined) out['PrimaryEmailAddr'] = { Address: c.email };
  if (c.notes !== undefined) out['Notes'] = c.notes;
  return out;
}

/** The demo customers and vendors of a company of its country, stored as the API's rules would store them. */
export function seedDemoCustomers(store: SandboxStore, company: CompanySummary): void {
  const realmId = company.realmId;
  const us = company.country === 'US';
  const now = formatQboTime(store.clock.now());
  const meta = () => ({ domain: 'QBO', sparse: false, SyncToken: '0', MetaData: { CreateTime: now, LastUpdatedTime: now } });
  const placed = new Map<string, { id: string; fullyQualifiedName: string; level: number }>();
  for (const c of BY_COUNTRY[company.country]) {
    const active = c.active !== false;
    const displayName = active ? c.displayName : `${c.displayName}${DELETED_SUFFIX}`;
    const parent = c.parent === undefined ? undefined : placed.get(c.parent);
    if (c.parent !== undefined && !parent) throw new Error(`demo sub-customer ${c.displayName} before its parent ${c.parent}`);
    const id = store.nextId(realmId, 'Customer');
    const object: QboObject = { ...meta(), Id: id, ...personFields(c) };
    if (us) object['Taxable'] = true;
    if (c.address) {
      const addressId = store.nextInSequence(realmId, 'PhysicalAddress');
      object['BillAddr'] = { Id: addressId, Line1: c.address.line1, City: c.address.city, CountrySubDivisionCode: c.address.region, PostalCode: c.address.postalCode };
    }
    object['Job'] = parent !== undefined;
    object['BillWithParent'] = false;
    if (parent) {
      object['ParentRef'] = { value: parent.id };
      object['Level'] = parent.level + 1;
    }
    Object.assign(object, {
      Balance: 0,
      BalanceWithJobs: 0,
      CurrencyRef: currencyOf(company.country),
      PreferredDeliveryMethod: 'Print',
      FullyQualifiedName: parent ? `${parent.fullyQualifiedName}:${displayName}` : displayName,
      DisplayName: displayName,
      PrintOnCheckName: c.company ?? c.displayName,
      Active: active,
    });
    if (us) object['DefaultTaxCodeRef'] = { value: '2' };
    store.bulkLoad(realmId, 'Customer', [object]);
    placed.set(c.displayName, { id, fullyQualifiedName: String(object['FullyQualifiedName']), level: parent ? parent.level + 1 : 0 });
  }
  store.bulkLoad(realmId, 'Vendor', DEMO_VENDORS[company.country].map((name) => ({
    ...meta(), Id: store.nextId(realmId, 'Vendor'), Balance: 0, Vendor1099: false, CurrencyRef: currencyOf(company.country),
    CompanyName: name, DisplayName: name, PrintOnCheckName: name, Active: true,
  })));
}
