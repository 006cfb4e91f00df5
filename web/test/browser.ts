// Helpers for browser tests of the dashboard: the stack `npm start` runs, Chromium via
// playwright-core, axe-core, and screenshots at 1440 and 390 px in web/test-output/screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { repoRoot } from '../../scripts/stack/config.js';
import { freePort } from '../../scripts/stack/ports.js';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const shots = join(repoRoot, 'web', 'test-output', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const demoPassword = 'pressroom-demo';

declare global {
  interface Window {
    axe: {
      run(
        context: Document,
        options: { resultTypes: string[] },
      ): Promise<{ violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: unknown[] }> }> }>;
    };
    pressroomLoadedOnce?: boolean;
  }
}

export interface Stack {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export async function startStack(
  databaseUrl: string,
  dataDir: string,
  settings: Record<string, string> = {},
): Promise<Stack> {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'HOST']) delete base[key];
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: {
      ...base,
      ...settings,
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PRESSROOM_DATA_DIR: dataDir,
      // Temporal of its own: the worker polls the `pressroom` queue, which no other test shares.
      PRESSROOM_TEMPORAL_PORT: String(await freePort()),
      PRESSROOM_TEMPORAL_UI_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (!out.includes('Pressroom is running.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() - started > 180_000) throw new Error(`npm start did not come up:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, child, output: () => out, exited };
}

export interface DashboardRun {
  stack: Stack;
  browser: Browser;
  /** The stack's database, for writing rows the test needs and checking what the screens did. */
  db: Database;
}

/**
 * One throwaway database, the stack `npm start` runs on it, and Chromium, for the test file
 * that calls this (in its describe block); all of it is stopped and removed afterwards. The
 * returned object is filled in by beforeAll. `settings` are extra environment variables for the
 * stack (its api and worker both read them).
 */
export function useDashboardStack(name: string, settings: Record<string, string> = {}): DashboardRun {
  const run = {} as DashboardRun;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), `pressroom-web-${name}-`));
    run.stack = await startStack(database.url, dataDir, settings);
    run.db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
    run.browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await run.browser?.close();
    await run.db?.$disconnect();
    const stack = run.stack as Stack | undefined;
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGINT');
      await Promise.race([stack.exited, new Promise((resolve) => setTimeout(resolve, 45_000))]);
    }
    await database?.drop().catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    console.log(`screens captured at 1440 and 390 px: ${captured.join(', ')}`);
  }, 90_000);
  return run;
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
}

export const captured: string[] = [];
/** A screenshot at 1440 and at 390 px, and no serious accessibility violation at either. */
export async function capture(page: Page, name: string) {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    // From the top: a full-page shot of a scrolled page paints the sticky sidebar and top bar
    // where the scroll left them, half way down the picture.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    expect(await accessibilityViolations(page), `${name} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  captured.push(name);
}

/** The page's WebSockets pass through the test, which can cut them as a network failure would. */
export interface SocketRelay {
  down: boolean;
  open: Set<WebSocketRoute>;
}

export async function newPage(browser: Browser, relay?: SocketRelay): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (relay) {
    await context.routeWebSocket(/\/graphql$/, async (socket) => {
      // 1013 "try again later", as a proxy answers while the api is away.
      if (relay.down) return socket.close({ code: 1013, reason: 'api unreachable' });
      socket.connectToServer();
      relay.open.add(socket);
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => {
      const text = String(frame.payload);
      if (/"type":"(error|complete)"/.test(text)) console.error(`socket: ${text.slice(0, 300)}`);
    });
    socket.on('close', () => console.error('socket closed'));
  });
  return { context, page };
}

export async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((location) => !location.pathname.startsWith('/sign-in'));
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Client-side navigation through the sidebar, as a person clicks it (no page load). */
export async function go(page: Page, section: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${section}`) })
    .click();
}
