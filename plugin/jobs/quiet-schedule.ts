import cron, { type ScheduledTask } from 'node-cron';

/**
 * A node-cron schedule whose pass never overlaps itself, skipping silently while the previous pass runs
 * (node-cron's own `noOverlap` writes a warning to stderr at every skipped tick: every 2 s through a long run).
 */
export function scheduleWithoutOverlap(expression: string, name: string, pass: () => Promise<void>): ScheduledTask {
  let running = false;
  return cron.schedule(expression, async () => {
    if (running) return;
    running = true;
    try {
      await pass();
    } finally {
      running = false;
    }
  }, { name });
}
