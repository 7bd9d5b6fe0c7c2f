/**
 * Puts the generated QuickBooks side into a sandbox company through the control API's bulk load
 * (SandboxControl.bulkLoad, what POST /_control/companies/:realm/objects/:entity runs): no API call is
 * made or counted, so the benchmarks' call counts are only their own. Parents go first; sub-customers get
 * ParentRef, Level and the "Parent:Child" FullyQualifiedName QBO gives them.
 */
import type { SandboxControl } from '../../dev/qbo-sandbox/control/sandbox-control';
import type { GeneratedData } from './generator';

export interface LoadedQbo {
  customerIdByKey: Map<string, string>;
  /** The QBO customer id of each matched Work client. */
  customerIdByClientRef: Map<number, string>;
  itemIdByRef: Map<number, string>;
}

function idOf(object: Record<string, unknown> | undefined): string {
  const id = object?.['Id'];
  if (typeof id !== 'string') throw new Error('the sandbox stored a record without an Id');
  return id;
}

export function loadQbo(control: Pick<SandboxControl, 'bulkLoad'>, realmId: string, data: GeneratedData): LoadedQbo {
  const customerIdByKey = new Map<string, string>();
  const customerIdByClientRef = new Map<number, string>();
  const nameByKey = new Map<string, string>();
  const parents = data.qbo.customers.filter((c) => c.parentKey === null);
  const children = data.qbo.customers.filter((c) => c.parentKey !== null);
  const storedParents = control.bulkLoad(realmId, 'Customer', parents.map((c) => ({ ...c.body, FullyQualifiedName: c.body['DisplayName'] })));
  parents.forEach((c, i) => {
    const id = idOf(storedParents[i]);
    customerIdByKey.set(c.key, id);
    nameByKey.set(c.key, String(c.body['DisplayName']));
    if (c.matchesClientRef !== null) customerIdByClientRef.set(c.matchesClientRef, id);
  });
  const storedChildren = control.bulkLoad(realmId, 'Customer', children.map((c) => {
    const parentKey = c.parentKey ?? '';
    const parentId = customerIdByKey.get(parentKey);
    if (parentId === undefined) throw new Error(`sub-customer ${c.key} names a parent ${parentKey} that was not loaded`);
    return { ...c.body, ParentRef: { value: parentId }, Level: 1, FullyQualifiedName: `${nameByKey.get(parentKey) ?? ''}:${String(c.body['DisplayName'])}` };
  }));
  children.forEach((c, i) => customerIdByKey.set(c.key, idOf(storedChildren[i])));
  const storedItems = control.bulkLoad(realmId, 'Item', data.qbo.items.map((item) => item.body));
  const itemIdByRef = new Map(data.qbo.items.map((item, i) => [item.itemRef, idOf(storedItems[i])] as const));
  return { customerIdByKey, customerIdByClientRef, itemIdByRef };
}
