import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWorkApp, QUICKBOOKS_SETTINGS_PATH } from '../../dev/host/app';
import { migrateWork } from '../../dev/host/migrate';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import type { PluginHandle } from '../../plugin/index';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { seedWork } from '../../seeds/work-seed';
import { launchChromium } from '../support/browser';
import { testPluginOptions } from '../support/plugin-options';
import { createScratchDatabase } from '../support/test-database';

/** Gitignored (.data/), so screenshots of a run never end up in a commit. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '.data', 'screenshots');

/** The whole product on ephemeral ports: PostgreSQL, the Work stand-in with the plugin, the QBO sandbox, Chromium. */
export interface E2eStack {
  knex: Knex;
  /** The stand-in's origin, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  sandbox: RunningSandbox;
  browser: Browser;
  /** Errors the stand-in's error handler saw (a 500 page); tests expect none. */
  serverErrors: unknown[];
  stop(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the stack the way `npm start` does, but in-process and on port 0. The stand-in's HTTP server listens
 * first (answering 503 until the app is ready), so the plugin's redirect URI can carry its real port; the
 * sandbox enforces that redirect URI and the plugin's client id and secret, as Intuit does.
 */
export interface E2eStackOptions {
  /** The host of the plugin's public URL (its redirect URI); the stand-in listens on 127.0.0.1 either way. */
  publicHost?: 'localhost' | '127.0.0.1';
}

export async function startE2eStack(options: E2eStackOptions = {}): Promise<E2eStack> {
  const { knex } = await createScratchDatabase();
  await migrateWork(knex);
  await migratePlugin(knex);
  await seedWork(knex);

  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const server = http.createServer((req, res) => handler(req, res));
  const port = await listen(server);
  const baseUrl = `http://127.0.0.1:${port}`;

  const clientId = `e2e-client-${crypto.randomBytes(4).toString('hex')}`;
  const clientSecret = crypto.randomBytes(16).toString('hex');
  const redirectUri = `http://${options.publicHost ?? '127.0.0.1'}:${port}${QUICKBOOKS_SETTINGS_PATH}/callback`;
  const sandbox = await startSandbox({ port: 0, clientId, clientSecret, redirectUri });

  const serverErrors: unknown[] = [];
  let plugin: PluginHandle | null = null;
  let browser: Browser;
  try {
    const work = await createWorkApp({
      knex,
      sessionSecret: crypto.randomBytes(32).toString('hex'),
      logError: (err) => serverErrors.push(err),
      pluginOptions: testPluginOptions({
        clientId,
        clientSecret,
        redirectUri,
        authorizeUrl: `${sandbox.baseUrl}/connect/oauth2`,
        tokenUrl: `${sandbox.baseUrl}/oauth2/v1/tokens/bearer`,
        revokeUrl: `${sandbox.baseUrl}/v2/oauth2/tokens/revoke`,
        apiBaseUrl: sandbox.baseUrl,
      }),
    });
    plugin = work.plugin;
    handler = work.app;
    browser = await launchChromium();
  } catch (err) {
    await plugin?.stop();
    await sandbox.close();
    await closeServer(server);
    throw err;
  }
  const running = { browser, plugin };

  return {
    knex,
    baseUrl,
    sandbox,
    browser,
    serverErrors,
    async stop() {
      await running.browser.close();
      await closeServer(server);
      await running.plugin.stop();
      await sandbox.close();
    },
  };
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A fresh browser context (its own cookies) with one page, failing fast instead of hanging. */
export async function newPage(stack: E2eStack): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({ baseURL: stack.baseUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the login form, as a person does, and waits for the page after it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Text that means a template printed something it should not have: an object, a missing value, escaped or raw markup. */
const UNREADABLE = ['[object Object]', 'undefined', 'NaN', '&lt;', '&gt;', '&amp;', '&#39;', '<%', '%>'];

/**
 * What a screenshot is looked at for, checked on every run: the page fits the window's width (no sideways
 * scrolling) and its visible text holds no template leftovers.
 */
export async function expectReadable(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  const [scrollWidth, clientWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, document.documentElement.clientWidth]');
  expect(scrollWidth, `${page.url()} is wider than the window`).to.be.at.most(clientWidth);
  for (const bad of UNREADABLE) expect(text, `${page.url()} shows ${bad}`).to.not.contain(bad);
}
