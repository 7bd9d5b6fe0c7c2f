import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine whose network is closed except loopback: no sandbox (CI runs as
 * root in a container), no GPU, and none of Chromium's own background traffic (component updates, sync,
 * QUIC probes), which would otherwise be refused and slow every start.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
}

/** Why Chromium cannot start, worded as what to do; null when the executable is there. */
export function missingChromiumMessage(path: string): string | null {
  try {
    fs.accessSync(path, fs.constants.X_OK);
    return null;
  } catch {
    return (
      `The browser tests need Chromium, and there is no executable at ${path}. ` +
      'Install Debian\'s package with `apt-get install -y chromium` (it lands at /usr/bin/chromium), ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.'
    );
  }
}

/**
 * Debian's Chromium driven by playwright-core. Playwright gives every launch a fresh, temporary user-data-dir
 * and deletes it on close, so no profile state carries over between runs. Fails (never skips) when Chromium
 * is missing, with a message saying how to install it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  const missing = missingChromiumMessage(executablePath);
  if (missing) throw new Error(missing);
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}
