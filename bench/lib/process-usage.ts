/**
 * CPU time and peak resident memory of this process while `work` runs, for the engine's "CPU per record"
 * and "RSS stays flat from S to L" figures. RSS is sampled (every 25 ms by default) because Node keeps no
 * high-water mark; a peak between samples can be missed, never invented.
 */
export interface ProcessUsage<T> {
  result: T;
  /** User + system CPU milliseconds spent by this process (every thread) during `work`. */
  cpuMs: number;
  /** Highest RSS seen, in megabytes (10^6 bytes). */
  peakRssMb: number;
  wallMs: number;
}

export async function measureProcess<T>(work: () => Promise<T>, sampleEveryMs = 25): Promise<ProcessUsage<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, sampleEveryMs);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, cpuMs: (used.user + used.system) / 1000, peakRssMb: peak / 1e6, wallMs: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}
