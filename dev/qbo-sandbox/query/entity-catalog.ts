/**
 * Which entities a query may name and which of their fields it may filter and sort on. QBO only lets a
 * query use "filterable" properties; anything else, like an unknown entity, is fault 4001.
 */
import type { EntityName } from '../contracts';

const META = ['Id', 'MetaData.CreateTime', 'MetaData.LastUpdatedTime'];
const PERSON = ['DisplayName', 'GivenName', 'MiddleName', 'FamilyName', 'CompanyName', 'PrimaryEmailAddr', 'PrintOnCheckName', 'Active', 'Balance'];

interface EntityQueryInfo {
  entity: EntityName;
  fields: string[];
  /** Name lists return only active rows unless the query filters on Active. */
  nameList: boolean;
  /** QBO's order without ORDERBY: name lists by name, ordinal (uppercase before lowercase). */
  defaultOrder: string | undefined;
}

const CATALOG: EntityQueryInfo[] = [
  { entity: 'Customer', fields: [...META, ...PERSON, 'FullyQualifiedName', 'Job', 'ParentRef', 'Level', 'Taxable'], nameList: true, defaultOrder: 'FullyQualifiedName' },
  { entity: 'Vendor', fields: [...META, ...PERSON, 'AcctNum', 'Vendor1099'], nameList: true, defaultOrder: 'DisplayName' },
  { entity: 'Employee', fields: [...META, ...PERSON.filter((f) => f !== 'CompanyName' && f !== 'Balance'), 'EmployeeNumber'], nameList: true, defaultOrder: 'DisplayName' },
  { entity: 'Item', fields: [...META, 'Name', 'FullyQualifiedName', 'Active', 'Type', 'Sku', 'UnitPrice', 'Taxable', 'IncomeAccountRef'], nameList: true, defaultOrder: 'FullyQualifiedName' },
  { entity: 'Account', fields: [...META, 'Name', 'FullyQualifiedName', 'Active', 'AccountType', 'AccountSubType', 'Classification', 'CurrentBalance', 'AcctNum'], nameList: true, defaultOrder: 'FullyQualifiedName' },
  { entity: 'PaymentMethod', fields: [...META, 'Name', 'Active', 'Type'], nameList: true, defaultOrder: 'Name' },
  { entity: 'TaxCode', fields: [...META, 'Name', 'Active', 'Taxable', 'Hidden'], nameList: true, defaultOrder: 'Name' },
  { entity: 'Term', fields: [...META, 'Name', 'Active', 'DueDays'], nameList: true, defaultOrder: 'Name' },
  { entity: 'Invoice', fields: [...META, 'DocNumber', 'TxnDate', 'DueDate', 'CustomerRef', 'TotalAmt', 'Balance', 'PrivateNote'], nameList: false, defaultOrder: undefined },
  { entity: 'Payment', fields: [...META, 'TxnDate', 'CustomerRef', 'TotalAmt', 'UnappliedAmt', 'PaymentRefNum', 'DepositToAccountRef'], nameList: false, defaultOrder: undefined },
  { entity: 'CompanyInfo', fields: [...META, 'CompanyName', 'Country'], nameList: false, defaultOrder: undefined },
  { entity: 'Preferences', fields: META, nameList: false, defaultOrder: undefined },
];

export function entityInfo(name: string): EntityQueryInfo | undefined {
  return CATALOG.find((c) => c.entity.toLowerCase() === name.toLowerCase());
}

/** The canonical spelling of a field, or undefined when the entity cannot be queried by it. */
export function canonicalField(info: EntityQueryInfo, field: string): string | undefined {
  return info.fields.find((f) => f.toLowerCase() === field.toLowerCase());
}
