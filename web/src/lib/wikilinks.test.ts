import { describe, expect, it } from 'vitest';
import { completeWikilink, findWikilinks, parseWikilink, rankTitles, wikilinkAt, wikilinkContext } from './wikilinks';

describe('parseWikilink', () => {
  it('splits target, heading and alias', () => {
    expect(parseWikilink('Note#Section|Shown')).toEqual({ target: 'Note', heading: 'Section', alias: 'Shown' });
    expect(parseWikilink(' Note ')).toEqual({ target: 'Note', heading: null, alias: null });
    expect(parseWikilink('#Local')).toEqual({ target: '', heading: 'Local', alias: null });
  });
});

describe('findWikilinks', () => {
  it('finds links and embeds with their offsets', () => {
    const text = 'a [[One]] b ![[pic.png]] c [[Two|2]]';
    const links = findWikilinks(text);
    expect(links.map((l) => [l.target, l.embed])).toEqual([['One', false], ['pic.png', true], ['Two', false]]);
    const first = links[0];
    expect(first && text.slice(first.from, first.to)).toBe('[[One]]');
  });

  it('ignores empty and multi-line brackets', () => {
    expect(findWikilinks('[[]] [[|x]] [[a\nb]]')).toEqual([]);
  });

  it('finds the link under an offset', () => {
    expect(wikilinkAt('x [[Target]] y', 5)?.target).toBe('Target');
    expect(wikilinkAt('x [[Target]] y', 0)).toBeNull();
  });
});

describe('wikilinkContext', () => {
  it('returns the typed query inside an open [[', () => {
    expect(wikilinkContext('see [[Gra', 9)).toEqual({ from: 6, query: 'Gra' });
    expect(wikilinkContext('see [[', 6)).toEqual({ from: 6, query: '' });
  });

  it('is null once closed, after an alias or heading, or without [[', () => {
    expect(wikilinkContext('see [[Done]] x', 14)).toBeNull();
    expect(wikilinkContext('see [[Note|al', 13)).toBeNull();
    expect(wikilinkContext('see [[Note#he', 13)).toBeNull();
    expect(wikilinkContext('plain text', 5)).toBeNull();
  });
});

describe('rankTitles', () => {
  const titles = ['Graph theory', 'Paragraphs', 'graph', 'Knowledge graph', 'Zebra', 'Graph theory'];

  it('ranks exact, prefix, word prefix, then substring, without duplicates', () => {
    expect(rankTitles('graph', titles)).toEqual(['graph', 'Graph theory', 'Knowledge graph', 'Paragraphs']);
  });

  it('lists everything for an empty query, up to the limit', () => {
    expect(rankTitles('', titles, 2)).toHaveLength(2);
  });
});

describe('completeWikilink', () => {
  it('adds the closing brackets when missing', () => {
    expect(completeWikilink('Note', ' rest')).toEqual({ insert: 'Note]]', consume: 0 });
  });

  it('replaces up to existing closing brackets', () => {
    expect(completeWikilink('Note', 'No]] rest')).toEqual({ insert: 'Note', consume: 2 });
    expect(completeWikilink('Note', ']]')).toEqual({ insert: 'Note', consume: 0 });
  });
});
