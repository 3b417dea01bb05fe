import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { IndexStatus } from '../api/types';
import { ToastProvider } from '../lib/toast';
import { IndexStatusIndicator } from './IndexStatusIndicator';

// The answer of GET /api/index/status as the server sends it (Neptune.Data.IndexStatus, camelCase).
const failing: IndexStatus = {
  notes: 12, indexed: 9, pending: 1, failed: 2, model: 'all-MiniLM-L6-v2', modelId: 1, queueDepth: 1, deadJobs: 2,
  summary: '9/12 indexed, 2 failed, 1 pending',
  failures: [
    { noteId: 4, title: 'Huge table', error: 'The model rejected the input: too many tokens', failedAt: '2026-11-27T10:00:00Z' },
    { noteId: 7, title: 'Binary paste', error: 'Chunking failed: no text', failedAt: '2026-11-27T10:01:00Z' },
  ],
};

let root: Root | null = null;
afterEach(() => {
  root?.unmount();
  root = null;
  vi.restoreAllMocks();
});

/** Renders as a browser would, without act(): the answers arrive on their own and the tests poll for them with vi.waitFor. */
function render(): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  root.render(<QueryClientProvider client={queries}><ToastProvider><IndexStatusIndicator /></ToastProvider></QueryClientProvider>);
  return host;
}

describe('IndexStatusIndicator', () => {
  it('shows totals, the model, and each failed note with its reason; retry posts to the API', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation((input) => Promise.resolve((input as string).startsWith('/api/index/retry')
      ? new Response(JSON.stringify({ queued: 2 }), { status: 202 })
      : new Response(JSON.stringify(failing), { status: 200 })));
    const host = render();
    await vi.waitFor(() => { expect(host.querySelector('summary')?.textContent).toContain('9/12'); });

    expect(host.querySelector('summary')?.getAttribute('aria-label')).toBe('Index: 9/12 indexed, 2 failed, 1 pending');
    expect(host.querySelector('summary')?.textContent).toContain('2 failed');
    expect(host.textContent).toContain('all-MiniLM-L6-v2');
    const failures = [...host.querySelectorAll('.failures li')].map((li) => li.textContent);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('Huge table');
    expect(failures[0]).toContain('too many tokens');
    expect(host.querySelector('.failures a')?.getAttribute('href')).toBe('/notes/4');

    const retry = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Retry failed notes');
    retry?.click();
    await vi.waitFor(() => { expect(fetch.mock.calls.some((c) => c[0] === '/api/index/retry' && c[1]?.method === 'POST')).toBe(true); });
  });

  it('shows a healthy index without a failure list or retry button', async () => {
    const done: IndexStatus = { ...failing, indexed: 12, pending: 0, failed: 0, queueDepth: 0, deadJobs: 0, summary: '12/12 indexed, 0 failed', failures: [] };
    vi.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(new Response(JSON.stringify(done), { status: 200 })));
    const host = render();
    await vi.waitFor(() => { expect(host.querySelector('summary')?.textContent).toContain('12/12'); });

    expect(host.querySelector('.dot')?.className).toContain('dot-ok');
    expect(host.textContent).toContain('No indexing failures.');
    expect(host.querySelector('.failures')).toBeNull();
    expect([...host.querySelectorAll('button')].some((b) => b.textContent === 'Retry failed notes')).toBe(false);
  });
});
