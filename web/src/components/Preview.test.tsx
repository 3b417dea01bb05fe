import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRoot, type Root } from 'react-dom/client';
import { Preview } from './Preview';

let root: Root | null = null;
afterEach(() => {
  root?.unmount();
  root = null;
});

function render(resolved: ReadonlySet<string> | undefined): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  root.render(<Preview content={'See [[Alpha]] and [[Missing note]].'} resolved={resolved} onOpenLink={() => undefined} />);
  return host;
}

const dangling = (host: HTMLElement) => [...host.querySelectorAll('a.wikilink.dangling')].map((a) => a.textContent);

describe('Preview wikilinks', () => {
  it('marks nothing dangling while it is not yet known which notes exist', async () => {
    const host = render(undefined);
    await vi.waitFor(() => { expect(host.querySelectorAll('a.wikilink')).toHaveLength(2); });
    expect(dangling(host)).toEqual([]);
  });

  it('marks only the links whose target does not exist, case-insensitively', async () => {
    const host = render(new Set(['alpha']));
    await vi.waitFor(() => { expect(dangling(host)).toEqual(['Missing note']); });
    expect(host.querySelector('a.wikilink:not(.dangling)')?.getAttribute('title')).toBe('Open Alpha');
  });
});
