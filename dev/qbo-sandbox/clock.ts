/**
 * The sandbox's own clock. Tests and benchmarks move it forward (token expiry, rate-limit windows, CDC
 * windows) instead of waiting. `scale` compresses real time: with scale 60, one real second is one sandbox
 * minute.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(
    private readonly scale = 1,
    private readonly startedAtReal = Date.now(),
  ) {}

  nowMs(): number {
    const real = Date.now();
    return this.startedAtReal + (real - this.startedAtReal) * this.scale + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Move the clock forward by a number of sandbox milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('the sandbox clock only moves forward');
    this.offsetMs += ms;
  }

  /** How many real milliseconds a span of sandbox milliseconds takes. */
  realMsFor(sandboxMs: number): number {
    return sandboxMs / this.scale;
  }
}
