import { describe, expect, it } from 'vitest';
import { renderMarkdown, stripFrontMatter } from './markdown';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('# Title\n\nSome *text* and `code`.');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<em>text</em>');
  });

  it('drops script elements', () => {
    const html = renderMarkdown('Hello <script>window.__pwned = 1</script> world');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('__pwned');
  });

  it('removes event handler attributes', () => {
    const root = dom(renderMarkdown('<img src="x" onerror="window.__pwned=1"> <div onclick="alert(1)">hi</div>'));
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) expect(attr.name.startsWith('on')).toBe(false);
    }
  });

  it('neutralises javascript: links, Markdown and raw alike', () => {
    const root = dom(renderMarkdown('[md](javascript:alert(1)) <a href="javascript:alert(2)">raw</a> <a href=" JaVaScRiPt:alert(3)">sp</a>'));
    for (const a of root.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').not.toMatch(/javascript:/i);
  });

  it('removes frames, forms, styles, svg and inline style attributes', () => {
    const html = renderMarkdown('<iframe src="https://example.com"></iframe><form action="/x"><input></form><style>body{}</style><svg><script>1</script></svg><p style="color:red">p</p>');
    expect(html).not.toMatch(/<(iframe|form|input|style|svg)/i);
    expect(html).not.toMatch(/style=/i);
  });

  it('keeps harmless raw HTML such as kbd and details', () => {
    const html = renderMarkdown('Press <kbd>Ctrl</kbd>\n\n<details><summary>More</summary>Body</details>');
    expect(html).toContain('<kbd>Ctrl</kbd>');
    expect(html).toContain('<details>');
  });

  it('renders wikilinks as links carrying their target', () => {
    const root = dom(renderMarkdown('See [[Other note#Part|the other]] and [[Plain]].'));
    const links = [...root.querySelectorAll<HTMLAnchorElement>('a.wikilink')];
    expect(links.map((a) => a.dataset.target)).toEqual(['Other note', 'Plain']);
    expect(links[0]?.textContent).toBe('the other');
    expect(links[0]?.dataset.heading).toBe('Part');
  });

  it('escapes markup inside a wikilink target', () => {
    const root = dom(renderMarkdown('[[<img src=x onerror=alert(1)>]]'));
    expect(root.querySelector('img')).toBeNull();
  });

  it('opens external links in a new tab without an opener', () => {
    const a = dom(renderMarkdown('[site](https://example.org)')).querySelector('a');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('hides front matter', () => {
    expect(stripFrontMatter('---\ntags: [a]\n---\n# T\n')).toBe('# T\n');
    expect(renderMarkdown('---\ntitle: x\n---\nBody')).not.toContain('title: x');
  });
});
