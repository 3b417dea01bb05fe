// Starts a real `neptune serve` (the repo's wrapper, which builds what is stale) on 127.0.0.1 with a temp data dir
// and a free port, for the browser tests; stops it and removes the data afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const repo = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => { done(port); });
    });
  });
}

export async function waitForHealth(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`neptune serve exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`neptune serve did not become healthy within ${timeoutMs / 1000}s:\n${log()}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.NEPTUNE_E2E_URL;
  if (existing) {
    project.provide('baseUrl', existing);
    return () => Promise.resolve();
  }

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'neptune-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const started = Date.now();
  // Vitest sets NODE_ENV=test; the UI the wrapper builds must be the production one users get.
  const env = { ...process.env };
  delete env.NODE_ENV;
  const child = spawn(join(repo, 'neptune'), ['serve', '--port', String(port), '--data', dataDir], {
    cwd: repo,
    env: { ...env, Neptune__Llm__WarmUp: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  await waitForHealth(url, child, () => output, 900_000);
  console.log(`e2e: neptune serve on ${url} (data ${dataDir}) ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', url);

  return async () => {
    const running = () => child.exitCode === null && child.signalCode === null;
    if (running()) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (running()) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
}
