import type { WorkPort } from '../../host/work-host';
import type { WorkClient, WorkSite } from '../../host/work-records';

const PAGE = 1000;

/** Every client of the account, in keyset pages through the host port. */
export async function readAllClients(work: WorkPort, accountId: string): Promise<WorkClient[]> {
  const all: WorkClient[] = [];
  for (let afterId: string | undefined; ; ) {
    const page = await work.clients.list(accountId, { limit: PAGE, ...(afterId === undefined ? {} : { afterId }) });
    all.push(...page);
    if (page.length < PAGE) return all;
    afterId = page[page.length - 1]?.id;
  }
}

/** Every site of the account. */
export async function readAllSites(work: WorkPort, accountId: string): Promise<WorkSite[]> {
  const all: WorkSite[] = [];
  for (let afterId: string | undefined; ; ) {
    const page = await work.sites.list(accountId, { limit: PAGE, ...(afterId === undefined ? {} : { afterId }) });
    all.push(...page);
    if (page.length < PAGE) return all;
    afterId = page[page.length - 1]?.id;
  }
}
