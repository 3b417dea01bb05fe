// The end-to-end flow in Debian's chromium against a real `neptune serve`:
// create a folder → a note with a wikilink → search → the graph → an edit conflict → restore a revision → an XSS note stays inert.
// Figures (first load, frame times panning a 5k-node graph) are printed, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { syntheticGraph } from './synthetic';

const base = inject('baseUrl');
const out = join(import.meta.dirname, 'out');
const metrics: Record<string, unknown> = {};
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];

interface NoteJson { id: number; title: string; version: number; content: string }

/** The API as a second writer sees it (no browser, no Origin header). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape it expects
async function apiJson<T>(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ body: T; etag: string }> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return { body: (await response.json()) as T, etag: response.headers.get('ETag') ?? '' };
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(out, `${name}.png`) });
}

function noteIdFromUrl(): number {
  const match = /\/notes\/(\d+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a note: ${page.url()}`);
  return Number(match[1]);
}

function noteHeading(title: string) {
  return page.locator('h1.note-heading', { hasText: title });
}

async function editorText(): Promise<string> {
  return page.locator('.cm-content').innerText();
}

async function replaceEditorText(text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

async function waitSaved(): Promise<void> {
  await page.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 10_000 });
}

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-swiftshader'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  page = await context.newPage();
  page.on('pageerror', (e) => { pageErrors.push(e.message); });
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
});

afterAll(async () => {
  await browser.close();
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(`e2e figures: ${JSON.stringify(metrics)}`);
});

describe('Neptune in the browser', () => {
  it('first load shows the empty state with the import command', async () => {
    const started = Date.now();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Welcome to Neptune' }).waitFor();
    const wall = Date.now() - started;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, firstContentfulPaint: fcp?.startTime ?? null, appRendered: performance.now() };
    });
    metrics.firstLoad = { ...roundAll(timing), wallClockMs: wall };
    console.log(`first load (empty browser cache, server just started): ${JSON.stringify(metrics.firstLoad)}`);
    await page.getByText('./neptune import ~/Notes').waitFor();
    await shot('empty-state');

    // Again in a new browser profile (nothing cached) once the server has answered a first request.
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const second = await fresh.newPage();
    const again = Date.now();
    await second.goto(`${base}/`);
    await second.getByRole('heading', { name: 'Welcome to Neptune' }).waitFor();
    const warmWall = Date.now() - again;
    const warm = await second.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, firstContentfulPaint: fcp?.startTime ?? null, appRendered: performance.now() };
    });
    metrics.firstLoadWarmServer = { ...roundAll(warm), wallClockMs: warmWall };
    console.log(`first load (empty browser cache, warm server): ${JSON.stringify(metrics.firstLoadWarmServer)}`);
    await fresh.close();
  });

  it('creates a folder from the tree', async () => {
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByLabel('Folder name').fill('Projects');
    await page.getByRole('button', { name: 'Create' }).click();
    const item = page.getByRole('treeitem', { name: /Projects/ });
    await item.waitFor();
    expect(await item.getAttribute('aria-selected')).toBe('true');
  });

  it('creates a note with a wikilink through autocomplete, and follows it', async () => {
    await page.getByRole('button', { name: 'New note' }).click();
    await page.waitForURL(/\/notes\/\d+/);
    await replaceEditorText('# Beta\n\nThe second note, about graph layouts. #research');
    await waitSaved();
    const betaId = noteIdFromUrl();

    await page.getByRole('button', { name: 'New note' }).click();
    await page.waitForURL((u) => /\/notes\/\d+/.test(u.pathname) && !u.pathname.endsWith(`/${betaId}`));
    await replaceEditorText('# Alpha\n\nSee [[Be');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'Beta' });
    await option.waitFor();
    await page.waitForTimeout(150);  // CodeMirror ignores keys for a moment after the list opens, as for a person
    await page.keyboard.press('Enter');
    await page.keyboard.type(' for details.');
    await waitSaved();
    expect(await editorText()).toContain('See [[Beta]] for details.');

    const link = page.getByTestId('preview').locator('a.wikilink', { hasText: 'Beta' });
    await link.waitFor();
    expect(await link.getAttribute('class')).not.toContain('dangling');
    await shot('note-editor-wikilink');
    await link.click();
    await page.waitForURL(new RegExp(`/notes/${betaId}$`));
    await noteHeading('Beta').waitFor();
    await page.getByRole('complementary', { name: /Links/ }).getByRole('link', { name: 'Alpha' }).waitFor();
  });

  it('moves through the tree and the note list with the keyboard', async () => {
    await page.getByRole('treeitem', { name: /All notes/ }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Projects', level: 2 }).waitFor();
    const list = page.getByRole('listbox', { name: 'Projects' });
    await list.getByRole('option').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/notes\/\d+/);
  });

  it('moves a note to another folder by drag and drop', async () => {
    const projects = page.getByRole('treeitem', { name: /Projects/ });
    await projects.click();
    await page.getByRole('listbox', { name: 'Projects' }).getByRole('option', { name: /Beta/ })
      .dragTo(page.getByRole('treeitem', { name: /All notes/ }));
    await page.getByRole('status').filter({ hasText: 'Note moved to All notes' }).waitFor();
    await expect.poll(() => projects.getByLabel(/notes$/).innerText()).toBe('1');
  });

  it('searches with highlighted snippets, keyboard selection, and reports an unsupported mode', async () => {
    const box = page.getByRole('combobox', { name: 'Search notes' });
    await box.fill('layouts');
    const results = page.getByRole('listbox', { name: 'Search results' });
    await results.getByRole('option').first().waitFor();
    expect(await results.locator('mark').count()).toBeGreaterThan(0);
    expect(await results.getByRole('option').first().getAttribute('title')).toMatch(/^Why:/);
    await box.press('ArrowDown');
    await box.press('Enter');
    await noteHeading('Beta').waitFor();

    await page.getByRole('combobox', { name: 'Search mode' }).selectOption('semantic');
    await box.fill('layout*');
    await page.getByRole('alert').filter({ hasText: /semantic index/ }).waitFor();
    await page.getByRole('combobox', { name: 'Search mode' }).selectOption('fts');
    await box.fill('layout*');
    await results.getByRole('option').first().waitFor();
    await box.press('Escape');
  });

  it('opens the graph view', async () => {
    await page.getByRole('button', { name: 'Graph' }).click();
    await page.getByRole('heading', { name: 'Knowledge graph' }).waitFor();
    await page.getByTestId('graph-stats').waitFor();
    await page.getByLabel('Ask the graph').fill('graph layouts');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('region', { name: 'Ranked notes' }).or(page.locator('section[aria-labelledby="retrieved-h"]'))
      .getByRole('button', { name: 'Beta' }).waitFor();
    await shot('graph-real');
  });

  it('shows an edit conflict, compares, and keeps both versions', async () => {
    await page.getByRole('listbox', { name: /Projects|All notes/ }).getByRole('option', { name: /Alpha/ }).click();
    await noteHeading('Alpha').waitFor();
    const id = noteIdFromUrl();
    const current = await apiJson<NoteJson>(`/api/notes/${id}`);
    const theirs = await apiJson<NoteJson>(`/api/notes/${id}`, {
      method: 'PUT', headers: { 'If-Match': current.etag },
      body: JSON.stringify({ content: '# Alpha\n\nChanged elsewhere by a second writer.' }),
    });

    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nMy edit in the browser.');
    const dialog = page.getByRole('dialog', { name: 'This note changed elsewhere' });
    await dialog.waitFor();
    expect(await dialog.locator('.diff-add').count()).toBeGreaterThan(0);
    expect(await dialog.locator('.diff-del').count()).toBeGreaterThan(0);
    await shot('conflict');
    await dialog.getByRole('button', { name: /Keep mine/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitSaved();

    const after = await apiJson<NoteJson>(`/api/notes/${id}`);
    expect(after.body.content).toContain('My edit in the browser.');
    expect(after.body.version).toBeGreaterThan(theirs.body.version);
    const theirRevision = await apiJson<{ content: string }>(`/api/notes/${id}/revisions/${theirs.body.version}`);
    expect(theirRevision.body.content).toContain('Changed elsewhere');
    metrics.conflictTheirsVersion = theirs.body.version;
  });

  it('restores a revision from the history diff', async () => {
    const id = noteIdFromUrl();
    const version = metrics.conflictTheirsVersion as number;
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('button', { name: new RegExp(`^v${version}\\b`) }).click();
    await page.locator('.revision .diff').waitFor();
    await page.getByRole('button', { name: `Restore v${version}` }).click();
    await page.getByRole('status').filter({ hasText: `Restored v${version}` }).waitFor();
    await expect.poll(editorText).toContain('Changed elsewhere by a second writer.');
    const after = await apiJson<NoteJson>(`/api/notes/${id}`);
    expect(after.body.content).toBe('# Alpha\n\nChanged elsewhere by a second writer.');
  });

  it('renders a hostile note inert: no script runs, no handler fires', async () => {
    const hostile = [
      '# XSS probe',
      '<script>window.__xss = "script"</script>',
      '<img src="x-missing.png" onerror="window.__xss = \'onerror\'">',
      '[md link](javascript:window.__xss=\'md-link\')',
      '<a href="javascript:window.__xss=\'raw-link\'">raw link</a>',
      '<iframe srcdoc="<script>parent.__xss=\'iframe\'</script>"></iframe>',
      '<svg><script>window.__xss="svg"</script></svg>',
      '<details open ontoggle="window.__xss=\'toggle\'"><summary>s</summary>x</details>',
      '<form action="javascript:window.__xss=\'form\'"><button>go</button></form>',
    ].join('\n\n');
    const created = await apiJson<NoteJson>('/api/notes', { method: 'POST', body: JSON.stringify({ content: hostile }) });
    await page.goto(`${base}/notes/${created.body.id}`);
    const preview = page.getByTestId('preview');
    await preview.getByRole('heading', { name: 'XSS probe' }).waitFor();
    await page.waitForTimeout(500);
    await preview.getByText('md link').click();
    await preview.getByText('raw link').click();
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await preview.locator('script, iframe, svg, form, [onerror], [ontoggle]').count()).toBe(0);
    for (const href of await preview.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
      expect(href).not.toMatch(/javascript:/i);
    }
    const box = page.getByRole('combobox', { name: 'Search notes' });
    await box.fill('onerror');
    await page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first().waitFor();
    expect(await page.locator('.search-results img, .search-results script').count()).toBe(0);
    await box.press('Escape');
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  });

  it('renders a note with lists, code, a table, tags and links, and its backlinks', async () => {
    const rich = [
      '---', 'tags: [research, graphs]', '---',
      '# Layout notes',
      'Force layouts place **linked notes** close together; see [[Alpha]] and [[Beta]], and the [[Missing note]] to write.',
      '## Checklist', '- Seed positions by topic', '- Run ForceAtlas2 in a worker', '- Hide edges while panning',
      '## Settings', '| setting | value |', '|---|---|', '| gravity | 1 |', '| barnesHut | on |',
      '```ts', "const layout = new FA2Layout(graph, { settings });", 'layout.start();', '```',
      '> Keep the graph readable at 5k nodes.',
    ].join('\n');
    const created = await apiJson<NoteJson>('/api/notes', { method: 'POST', body: JSON.stringify({ content: rich }) });
    await apiJson<NoteJson>('/api/notes', { method: 'POST', body: JSON.stringify({ content: '# Reading list\n\nStart with [[Layout notes]].' }) });
    await page.goto(`${base}/notes/${created.body.id}`);
    const preview = page.getByTestId('preview');
    await preview.locator('table').waitFor();
    expect(await preview.locator('pre code').count()).toBe(1);
    expect(await preview.locator('a.wikilink.dangling').innerText()).toBe('Missing note');
    await page.getByRole('complementary', { name: /Links/ }).getByRole('link', { name: 'Reading list' }).waitFor();
    await page.locator('.cm-content').click();
    await shot('note-editor');
  });

  it('stays usable at 1024 px wide and in the dark theme', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByRole('listbox', { name: /All notes|Projects/ }).getByRole('option', { name: /Alpha/ }).click().catch(async () => {
      await page.getByRole('treeitem', { name: /All notes/ }).click();
      await page.getByRole('option', { name: /Alpha/ }).click();
    });
    await noteHeading('Alpha').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await shot('note-editor-1024-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.setViewportSize({ width: 1400, height: 860 });
  });

  it('pans a 5k-node graph (synthetic, intercepted /api/graph) and measures frames', async () => {
    const graph = syntheticGraph(5000);
    await page.route('**/api/graph?**', (route) => route.fulfill({ json: graph }));
    // How long the page's own frame work takes (sigma's render runs in requestAnimationFrame), apart from GL and compositing.
    await page.addInitScript(() => {
      const w = window as unknown as { __rafWork: number[] };
      w.__rafWork = [];
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => raf((t) => {
        const start = performance.now();
        cb(t);
        w.__rafWork.push(performance.now() - start);
      });
    });
    await page.goto(`${base}/graph`);
    const canvas = page.getByTestId('graph-canvas');
    await page.locator('[data-testid="graph-canvas"][data-layout="done"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    await shot('graph-5k');

    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __long: number[]; __measuring: boolean };
      w.__frames = [];
      w.__long = [];
      (window as unknown as { __rafWork: number[] }).__rafWork = [];
      w.__measuring = true;
      let last = performance.now();
      const tick = (t: number) => {
        w.__frames.push(t - last);
        last = t;
        if (w.__measuring) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
    });
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const started = Date.now();
    for (let round = 0; round < 2; round++) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 24; i++) await page.mouse.move(cx + Math.sin(i / 4) * 220, cy + Math.cos(i / 4) * 140, { steps: 2 });
      await page.mouse.up();
      await page.mouse.wheel(0, round % 2 === 0 ? -300 : 300);
      await page.waitForTimeout(100);
    }
    const panMs = Date.now() - started;
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __long: number[]; __measuring: boolean };
      w.__measuring = false;
      const f = w.__frames.slice(1).sort((a, b) => a - b);
      const at = (q: number) => f[Math.min(f.length - 1, Math.floor(q * f.length))] ?? 0;
      const work = (window as unknown as { __rafWork: number[] }).__rafWork;
      return {
        frames: f.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: f[f.length - 1] ?? 0, over100ms: f.filter((x) => x > 100).length,
        longTasks: w.__long.length, longestTaskMs: Math.max(0, ...w.__long), maxFrameScriptMs: Math.max(0, ...work),
      };
    });
    metrics.graph5k = { nodes: graph.nodes.length, links: graph.links.length, panMs, ...roundAll(frames) };
    console.log(`graph 5k panning: ${JSON.stringify(metrics.graph5k)}`);
    expect(frames.frames).toBeGreaterThan(0);
    await page.unroute('**/api/graph?**');
  }, 180_000);

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

function roundAll<T extends Record<string, number | null>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : Math.round(v * 10) / 10])) as T;
}
