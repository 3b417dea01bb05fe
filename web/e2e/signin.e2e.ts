// Token mode in the browser: a second real `neptune serve` with Neptune:Auth:Mode=token and a token made by
// `neptune tokens create`; the UI asks for it on the first 401, refuses a wrong one, keeps a good one for the tab and
// forgets it on sign-out.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { freePort, waitForHealth } from './serve';

const repo = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'neptune-e2e-token-'));
let server: ChildProcess | undefined;
let base = '';
let secret = '';
let browser: Browser | undefined;

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, Neptune__Llm__WarmUp: 'false' };
  delete env.NODE_ENV;
  const cli = (...args: string[]) => execFileSync(join(repo, 'neptune'), [...args, '--data', dataDir], { cwd: repo, env, encoding: 'utf8' });
  cli('users', 'add', 'alice');
  // stdout is the secret alone (the wrapper's build output goes to stderr).
  secret = cli('tokens', 'create', '--user', 'alice', '--name', 'e2e').trim();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  let output = '';
  server = spawn(join(repo, 'neptune'), ['serve', '--port', String(port), '--data', dataDir], {
    cwd: repo, env: { ...env, Neptune__Auth__Mode: 'token' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  server.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  await waitForHealth(base, server, () => output, 600_000);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  const running = server;
  if (running?.exitCode === null) {
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Neptune in token mode', () => {
  it('asks for a token, refuses a wrong one, keeps a good one for the tab, and signs out', async () => {
    expect(secret).toMatch(/^nep_[A-Za-z0-9_-]{43}$/);
    if (!browser) throw new Error('chromium did not start');
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() !== 401) return;
      void r.request().allHeaders().then(async (h) => {
        refused.push(`${r.request().method()} ${new URL(r.url()).pathname} ${h.authorization ? 'with' : 'without'} token: ${await r.text()}`);
      });
    });
    await page.goto(base);
    const dialog = page.getByRole('dialog', { name: 'Sign in to Neptune' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('neptune tokens create');

    await dialog.getByLabel('Access token').fill('nep_wrong');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('did not accept this token');

    await dialog.getByLabel('Access token').fill(secret);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('neptune import').first().waitFor();  // the empty vault's state: the API answered with the token

    refused.length = 0;
    await page.reload();  // the same tab keeps it (sessionStorage)
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('neptune import').first().waitFor();
    // Only index.html's preloads go without the token (the app does not use them when it has one).
    expect(refused.filter((r) => !/^GET \/api\/(system\/info|folders\/tree) without token/.test(r))).toEqual([]);
    expect(await page.getByRole('dialog', { name: 'Sign in to Neptune' }).count()).toBe(0);

    const other = await context.newPage();  // another tab was not given it (not remembered)
    await other.goto(base);
    await other.getByRole('dialog', { name: 'Sign in to Neptune' }).waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog', { name: 'Sign in to Neptune' }).waitFor();
    expect(await page.evaluate(() => [sessionStorage.getItem('neptune.token'), localStorage.getItem('neptune.token')])).toEqual([null, null]);
    await context.close();
  });
});
