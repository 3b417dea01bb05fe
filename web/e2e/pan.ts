// Measures the graph view while panning and zooming: every animation frame's interval, from the browser's performance API.
import type { Page } from 'playwright-core';

export interface PanFrames {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  over50ms: number;
  over100ms: number;
  longTasks: number;
  longestTaskMs: number;
  /** The longest time the page's own frame callbacks (sigma's render) took, apart from GL and compositing. */
  maxFrameScriptMs: number;
  panMs: number;
}

/** Installs the frame-callback timer; call before the page loads. */
export async function timeFrameCallbacks(page: Page): Promise<void> {
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
}

/** Drags the canvas around in circles and zooms in and out, `rounds` times, and returns frame statistics for that time. */
export async function measurePan(page: Page, canvasSelector: string, rounds = 2): Promise<PanFrames> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __long: number[]; __measuring: boolean; __rafWork: number[] };
    w.__frames = [];
    w.__long = [];
    w.__rafWork = [];
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
  const box = await page.locator(canvasSelector).boundingBox();
  if (!box) throw new Error('no canvas');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 24; i++) await page.mouse.move(cx + Math.sin(i / 4) * 220, cy + Math.cos(i / 4) * 140, { steps: 2 });
    await page.mouse.up();
    await page.mouse.wheel(0, round % 2 === 0 ? -300 : 300);
    await page.waitForTimeout(100);
  }
  const panMs = Date.now() - started;
  const stats = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __long: number[]; __measuring: boolean; __rafWork: number[] };
    w.__measuring = false;
    const f = w.__frames.slice(1).sort((a, b) => a - b);
    const at = (q: number) => f[Math.min(f.length - 1, Math.floor(q * f.length))] ?? 0;
    return {
      frames: f.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: f[f.length - 1] ?? 0,
      over50ms: f.filter((x) => x > 50).length, over100ms: f.filter((x) => x > 100).length,
      longTasks: w.__long.length, longestTaskMs: Math.max(0, ...w.__long), maxFrameScriptMs: Math.max(0, ...w.__rafWork),
    };
  });
  return { ...stats, panMs };
}
