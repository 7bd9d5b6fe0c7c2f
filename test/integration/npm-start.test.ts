/**
 * `npm start` as a person runs it: the addresses it prints share one host form (a browser keeps separate
 * sign-ins for localhost and 127.0.0.1), and Ctrl+C (SIGINT to its whole process group, as a terminal
 * sends it) ends with "stopped." and exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { expect } from 'chai';
import { createScratchDatabase } from '../support/test-database';

const REPO_ROOT = new URL('../../', `file://${__filename}`).pathname;
const READY = 'Press Ctrl+C to stop.';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function startNpmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QBO_SANDBOX_PORT: '0', LOG_LEVEL: 'silent', QBO_TOKEN_KEY: crypto.randomBytes(32).toString('base64'), ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close' waits for every process holding the output (npm, and the server under it) to be gone.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no "${READY}" within 40 s:\n${output}`)), 40_000);
    const check = () => {
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}

function pressCtrlC(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
}

describe('npm start', function () {
  this.timeout(90_000);
  let running: Started | null = null;

  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null && running.child.pid !== undefined) {
      process.kill(-running.child.pid, 'SIGTERM');
      await running.exited;
    }
    running = null;
  });

  for (const host of ['localhost', '127.0.0.1']) {
    it(`prints every address at ${host} when that is the public URL, and "stopped." after Ctrl+C`, async () => {
      const { url } = await createScratchDatabase();
      const port = await freePort();
      running = await startNpmStart({ DATABASE_URL: url, PORT: String(port), ...(host === 'localhost' ? {} : { PUBLIC_URL: `http://${host}:${port}/` }) });
      const out = running.output();
      expect(out).to.contain(`Work stand-in with the QuickBooks plugin: http://${host}:${port}\n`);
      expect(out).to.contain(`QuickBooks settings (admins only):       http://${host}:${port}/settings/integrations/quickbooks\n`);
      expect(out).to.match(new RegExp(`QBO sandbox \\("QuickBooks"\\): +http://${host.replace(/\./g, '\\.')}:\\d+\\n`));
      const addresses = out.match(/https?:\/\/[^\s/]+/g) ?? [];
      expect(addresses.every((a) => a.startsWith(`http://${host}:`)), addresses.join(' ')).to.equal(true);

      pressCtrlC(running.child);
      await running.exited;
      expect(running.output().trimEnd().split('\n').slice(-2)).to.deep.equal(['SIGINT: stopping…', 'stopped.']);
    });
  }
});
