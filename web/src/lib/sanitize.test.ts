import { describe, expect, it } from 'vitest';
import { snippetParts } from './sanitize';

describe('snippetParts', () => {
  it('keeps the server highlights and unescapes the text around them', () => {
    expect(snippetParts('…force <mark>layouts</mark> place &lt;b&gt; &amp; <mark>graph</mark>s…')).toEqual([
      { text: '…force ', mark: false },
      { text: 'layouts', mark: true },
      { text: ' place <b> & ', mark: false },
      { text: 'graph', mark: true },
      { text: 's…', mark: false },
    ]);
  });

  it('turns any other markup into its text: nothing but text and marks comes out', () => {
    const parts = snippetParts('<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><a href="javascript:1">link</a> <b>bold</b>');
    expect(parts).toEqual([{ text: 'window.__xss=2link bold', mark: false }]);
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
  });

  it('reads an empty snippet as no parts', () => {
    expect(snippetParts('')).toEqual([]);
  });
});
