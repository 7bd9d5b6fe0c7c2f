/** Time as the QBO layer sees it: injectable so limiter and retry waits run instantly in tests. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; a clock that honours `signal` also clears its timer when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The client (or its limiter) was closed: waits and requests end at once so the process can exit. */
export class QboClientClosedError extends Error {
  constructor() {
    super('the QuickBooks client was closed; the call was stopped (a write in flight keeps its requestid for the next run)');
    this.name = 'QboClientClosedError';
  }
}

/**
 * Waits for `promise`, or rejects with QboClientClosedError as soon as `signal` aborts (whatever the clock
 * does with its own timer): a stopping process never waits out a 70 s back-off.
 */
export function unlessClosed<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new QboClientClosedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new QboClientClosedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
