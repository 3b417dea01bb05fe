// The end-to-end flow in Debian's chromium against a real `neptune serve`:
// create a folder → a note with a wikilink → search → the graph → an edit conflict → restore a revision → an XSS note stays inert.
// Figures (first load, frame times panning a 5k-node graph) are printed, never asserted.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { measurePan, timeFrameCallbacks } from './pan';
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
    // SwiftShader (software WebGL): of the flags tried, the fastest here; --use-gl=angle --use-angle=swiftshader was ~10× slower panning.
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
    metrics.firstLoad = { ...roundAll(timing), wallClockMs: wall, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10 };
    console.log(`first load (empty browser cache, server just started): ${JSON.stringify(metrics.firstLoad)}`);
    await page.getByText('./neptune import ~/Notes').waitFor();
    await shot('empty-state');

    // What the first load fetched: the entry chunk and its imports, never the graph (sigma, graphology) or the editor.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.js')).map((e) => new URL(e.name).pathname));
    expect(scripts.some((p) => p.includes('/assets/index-'))).toBe(true);
    expect(scripts.filter((p) => /GraphView|NotePane/.test(p))).toEqual([]);
    metrics.firstLoadScripts = scripts.length;
    metrics.bundle = await bundleSizes(scripts);
    console.log(`bundle (gzip -9 of what the first load fetched, and of the lazy chunks): ${JSON.stringify(metrics.bundle)}`);

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
    metrics.firstLoadWarmServer = { ...roundAll(warm), wallClockMs: warmWall, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10 };
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
    await page.getByRole('region', { name: 'Backlinks' }).getByRole('link', { name: 'Alpha' }).waitFor();
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

  it('indexes the notes and shows the totals in the header', async () => {
    const status = await waitIndexed('firstNotes');
    expect(status.failed).toBe(0);
    await page.reload();
    await page.getByTestId('index-status').locator('summary').filter({ hasText: `${status.notes}/${status.notes}` }).waitFor();
    await page.getByTestId('index-status').locator('summary').click();
    await page.getByTestId('index-status').getByText(status.summary).waitFor();
    await page.getByTestId('index-status').getByText('No indexing failures.').waitFor();
    await page.getByTestId('index-status').locator('summary').click();
  }, 240_000);

  it('searches in every mode, with highlighted snippets, the mode that ran, and why on hover', async () => {
    const box = page.getByRole('combobox', { name: 'Search notes' });
    const modeSelect = page.getByRole('combobox', { name: 'Search mode' });
    const results = page.getByRole('listbox', { name: 'Search results' });
    const meta = page.getByTestId('search-meta');
    const search = async (mode: string, q: string, ran: string) => {
      await modeSelect.selectOption(mode);
      await box.fill(q);
      // The answer for this query: the box is debounced, so the previous query may still answer in the new mode.
      await page.locator(`[data-testid="search-meta"][data-query="${q}"]`).filter({ hasText: new RegExp(`^${ran} search`, 'i') }).waitFor();
      await results.getByRole('option').first().waitFor();
      return results.getByRole('option');
    };

    const fts = await search('fts', 'layouts', 'fts');
    expect(await results.locator('mark').first().innerText()).toMatch(/layouts/i);
    expect(await fts.first().getAttribute('title')).toMatch(/^Why: words: rank 1 \(bm25 [\d.]+\)/);
    await box.press('ArrowDown');
    await box.press('Enter');
    await noteHeading('Beta').waitFor();

    // No word of this query is in the note: only its meaning finds Beta.
    const semantic = await search('semantic', 'arranging nodes of a network drawing', 'semantic');
    expect(await semantic.first().locator('.result-title').innerText()).toBe('Beta');
    expect(await semantic.first().getAttribute('title')).toMatch(/meaning: similarity 0\.\d\d; passage 1: “/);
    expect(await meta.locator('[role="status"]').count()).toBe(0);

    const hybrid = await search('hybrid', 'layouts', 'hybrid');
    const beta = hybrid.filter({ has: page.locator('.result-title', { hasText: /^Beta$/ }) });
    expect(await beta.getAttribute('title')).toMatch(/words: rank 1 .*; meaning: similarity/);
    expect(await beta.locator('mark').count()).toBeGreaterThan(0);
    await beta.hover();
    await beta.locator('.result-why').waitFor();

    // auto runs hybrid once notes have vectors.
    await search('auto', 'layouts', 'hybrid');
    await box.press('Escape');
  }, 90_000);

  it('lists related notes from the semantic index, marking linked ones', async () => {
    await page.getByRole('treeitem', { name: /All notes/ }).click();
    await page.getByRole('listbox', { name: 'All notes' }).getByRole('option', { name: /Alpha/ }).click();
    await noteHeading('Alpha').waitFor();
    const related = page.getByRole('list', { name: 'Related notes' });
    const beta = related.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Beta' }) });
    await beta.waitFor();
    expect(await beta.getAttribute('title')).toMatch(/^Similarity in meaning 0\.\d\d; a link already joins the two notes$/);
    expect(await beta.getByLabel('linked').count()).toBe(1);
    await beta.getByRole('link', { name: 'Beta' }).click();
    await noteHeading('Beta').waitFor();
  });

  it('filters the note list by a topic the indexer found', async () => {
    const topics = await apiJson<{ id: number; label: string; count: number }[]>('/api/topics');
    expect(topics.body.length).toBeGreaterThan(0);
    const topic = topics.body[0];
    if (!topic) throw new Error('no topics');
    const expected = await apiJson<{ items: { title: string }[] }>(`/api/notes?topicId=${topic.id}&sort=updated`);
    const chip = page.getByRole('list', { name: 'Filter notes by topic' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(topic.label)} ${topic.count}$`) });
    await chip.click();
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    const list = page.getByRole('listbox', { name: `Topic: ${topic.label}` });
    await list.getByRole('option').first().waitFor();
    expect(await list.locator('.note-title').allInnerTexts()).toEqual(expected.body.items.map((n) => n.title));
    await page.getByRole('button', { name: 'clear filter' }).click();
  });

  it('opens the graph view and asks it a question', async () => {
    await page.getByRole('button', { name: 'Graph', exact: true }).click();
    await page.getByRole('heading', { name: 'Knowledge graph' }).waitFor();
    await page.getByTestId('graph-stats').filter({ hasText: /[1-9]\d* nodes/ }).waitFor();
    await page.getByLabel('Ask the graph').fill('graph layouts');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('section[aria-labelledby="retrieved-h"]').getByRole('button', { name: 'Beta' }).waitFor();
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
    await page.getByRole('button', { name: 'History', exact: true }).click();
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
    await page.getByRole('region', { name: 'Backlinks' }).getByRole('link', { name: 'Reading list' }).waitFor();
    // Once indexed, the panel lists the notes nearest in meaning; that is the editor as people see it.
    await waitIndexed('richNote');
    await page.getByRole('list', { name: 'Related notes' }).getByRole('link').first().waitFor({ timeout: 20_000 });
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
    await timeFrameCallbacks(page);
    await page.goto(`${base}/graph`);
    await page.locator('[data-testid="graph-canvas"][data-layout="done"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    await shot('graph-5k');

    const loadBefore = loadavg()[0] ?? 0;
    const frames = await measurePan(page, '[data-testid="graph-canvas"]');
    metrics.graph5k = {
      nodes: graph.nodes.length, links: graph.links.length, ...roundAll({ ...frames }),
      loadAverage1m: Math.round(Math.max(loadBefore, loadavg()[0] ?? 0) * 10) / 10, cores: cpus().length,
    };
    console.log(`graph 5k panning (target: no frame over 100 ms; reported, not asserted): ${JSON.stringify(metrics.graph5k)}`);
    expect(frames.frames).toBeGreaterThan(20);  // the measurement ran: the page kept drawing while it was dragged
    await page.unroute('**/api/graph?**');
  }, 180_000);

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** Waits until every live note is indexed with the active model (the real embedded model, on these 2 cores). */
async function waitIndexed(what: string): Promise<{ notes: number; indexed: number; failed: number; summary: string }> {
  const started = Date.now();
  for (;;) {
    const { body } = await apiJson<{ notes: number; indexed: number; pending: number; failed: number; queueDepth: number; summary: string }>('/api/index/status');
    if (body.pending === 0 && body.queueDepth === 0 && body.indexed + body.failed === body.notes) {
      metrics[`indexWait_${what}_ms`] = Date.now() - started;
      return body;
    }
    if (Date.now() - started > 200_000) throw new Error(`indexing did not finish: ${body.summary}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Gzip sizes (KB) of the scripts the first load fetched, and of the lazy graph and editor chunks, from the served dist/. */
async function bundleSizes(firstLoad: string[]): Promise<Record<string, number>> {
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  const gz = async (path: string) => gzipSync(Buffer.from(await (await fetch(`${base}${path}`)).arrayBuffer()), { level: 9 }).length;
  let first = 0;
  for (const path of firstLoad) first += await gz(path);
  const dist = join(import.meta.dirname, '..', 'dist', 'assets');
  const lazy = (prefix: string) => readdirSync(dist).filter((f) => f.startsWith(prefix) && f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { firstLoadJsGzipKB: kb(first), graphChunkGzipKB: kb(lazy('GraphView-')), editorChunkGzipKB: kb(lazy('NotePane-')) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function roundAll<T extends Record<string, number | null>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : Math.round(v * 10) / 10])) as T;
}
