/**
 * A proxy in front of the sandbox's API that picks, with a seeded PRNG, which calls fail: for each chosen
 * call it arms one sandbox fault (the control API's 429, 500, 503, 504, drop before the handler, drop after
 * the write) for exactly that method and path, then forwards the call, so the failure has the sandbox's own
 * shape. Exactly one call in every block of 1/rate calls fails (at a seeded place in the block), so the rate
 * holds however few calls a batched sync makes; the kinds take turns so every six faults play every kind.
 * A burst makes one write of a realm fail on every send the client makes (its five attempts), so the record
 * fails for the run and must converge in a later one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import type { FaultKind } from '../../dev/qbo-sandbox/control/fault-rules';

export const PLAYED_KINDS: FaultKind[] = ['429', '500', '503', '504', 'drop', 'drop-after-write'];
/** The QBO client's sends of one call (plugin/qbo/retry-policy.ts MAX_ATTEMPTS). */
const CLIENT_ATTEMPTS = 5;

export interface FaultBurst {
  realmId: string;
  /** The realm's nth write (POST) fails on every attempt. */
  atWrite: number;
  kind: FaultKind;
}

export interface FaultProxy {
  baseUrl: string;
  /** API calls seen and faults armed, by kind (and by method for the writes that were dropped after applying). */
  stats(): { calls: number; faults: Record<string, number>; faultedPosts: number; bursts: string[] };
  /** Stop choosing faults (and clear any rule not yet taken). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function startFaultProxy(sandbox: RunningSandbox, options: { rate: number; random: () => number; realmIds: string[]; bursts?: FaultBurst[] }): Promise<FaultProxy> {
  const target = new URL(sandbox.baseUrl);
  let calls = 0;
  let faultedPosts = 0;
  let turn = Math.floor(options.random() * PLAYED_KINDS.length);
  let paused = false;
  const block = Math.round(1 / options.rate);
  let victim = Math.floor(options.random() * block);
  const faults: Record<string, number> = {};
  const writes = new Map<string, number>();
  const bursts: string[] = [];
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const realmId = /^\/v3\/company\/([^/]+)\//.exec(pathname)?.[1];
    if (!paused && realmId !== undefined && req.method === 'POST') {
      const n = (writes.get(realmId) ?? 0) + 1;
      writes.set(realmId, n);
      const burst = options.bursts?.find((b) => b.realmId === realmId && b.atWrite === n);
      if (burst) {
        bursts.push(`${burst.kind} ×${CLIENT_ATTEMPTS} on ${pathname}`);
        sandbox.control.armFault({ kind: burst.kind, count: CLIENT_ATTEMPTS, method: 'POST', path: `^${escapeRegex(pathname)}$`, realmId });
      }
    }
    if (!paused && realmId !== undefined && options.realmIds.includes(realmId)) {
      const place = calls % block;
      calls += 1;
      const hit = place === victim;
      if (place === block - 1) victim = Math.floor(options.random() * block);
      if (hit) {
        const kind = PLAYED_KINDS[turn % PLAYED_KINDS.length] ?? '500';
        turn += 1;
        faults[kind] = (faults[kind] ?? 0) + 1;
        if (req.method === 'POST') faultedPosts += 1;
        sandbox.control.armFault({ kind, count: 1, method: req.method ?? 'GET', path: `^${escapeRegex(pathname)}$`, realmId });
      }
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    // The sandbox closed the connection (a dropped call): close ours the same way, answering nothing.
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats: () => ({ calls, faults: { ...faults }, faultedPosts, bursts: [...bursts] }),
    pause() {
      paused = true;
      sandbox.control.clearFaults();
    },
    resume() {
      paused = false;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
