/**
 * The sync runs this process's schedules have in hand, per account, so stop() can let them finish (or cut
 * them off after a grace period and hand their records back) and so no new one starts once stopping.
 */
export class StoppingError extends Error {
  constructor() {
    super('the QuickBooks worker is stopping');
  }
}

export class RunsInHand {
  private readonly runs = new Map<symbol, { accountId: string; done: Promise<unknown> }>();
  private stopping = false;

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Run `work` for the account, tracked until it settles; refused (StoppingError) once stop() began. */
  async track<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    if (this.stopping) throw new StoppingError();
    const key = Symbol(accountId);
    const done = work();
    this.runs.set(key, { accountId, done });
    try {
      return await done;
    } finally {
      this.runs.delete(key);
    }
  }

  /** Stop taking new runs. */
  beginStop(): void {
    this.stopping = true;
  }

  /** Accounts with a run in hand now. */
  accounts(): string[] {
    return [...new Set([...this.runs.values()].map((r) => r.accountId))];
  }

  /** Whether every run in hand settled within `ms` (a run's failure counts as settled). */
  async settled(ms: number): Promise<boolean> {
    const all = Promise.allSettled([...this.runs.values()].map((r) => r.done)).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
