// [[Target#Heading|Alias]] — Obsidian's wikilink syntax, as the backend's Markdown parser reads it.

export interface Wikilink {
  target: string;
  heading: string | null;
  alias: string | null;
  embed: boolean;
  /** Offsets of the whole link, brackets included, in the text it came from. */
  from: number;
  to: number;
}

export function parseWikilink(inner: string): Omit<Wikilink, 'embed' | 'from' | 'to'> {
  const bar = inner.indexOf('|');
  const ref = bar >= 0 ? inner.slice(0, bar) : inner;
  const alias = bar >= 0 ? inner.slice(bar + 1).trim() || null : null;
  const hash = ref.indexOf('#');
  const target = (hash >= 0 ? ref.slice(0, hash) : ref).trim();
  const heading = hash >= 0 ? ref.slice(hash + 1).trim() || null : null;
  return { target, heading, alias };
}

const pattern = /(!?)\[\[([^[\]\n]+?)\]\]/g;

/** Every wikilink in `text`, skipping empty ones such as `[[|x]]`. */
export function findWikilinks(text: string): Wikilink[] {
  const links: Wikilink[] = [];
  for (const m of text.matchAll(pattern)) {
    const inner = m[2] ?? '';
    const parsed = parseWikilink(inner);
    if (parsed.target === '' && parsed.heading === null) continue;
    links.push({ ...parsed, embed: m[1] === '!', from: m.index, to: m.index + m[0].length });
  }
  return links;
}

/** The wikilink at `offset`, if the cursor or a click is inside one. */
export function wikilinkAt(text: string, offset: number): Wikilink | null {
  return findWikilinks(text).find((l) => offset >= l.from && offset <= l.to) ?? null;
}

export interface CompletionContext {
  /** Where the typed title starts (just after `[[`). */
  from: number;
  query: string;
}

/** When the cursor sits in an unclosed `[[…` on its line, what has been typed so far. */
export function wikilinkContext(line: string, cursor: number): CompletionContext | null {
  const before = line.slice(0, cursor);
  const open = before.lastIndexOf('[[');
  if (open < 0) return null;
  const typed = before.slice(open + 2);
  if (typed.includes(']]') || typed.includes('|') || typed.includes('#') || typed.includes('[')) return null;
  return { from: open + 2, query: typed };
}

/** Titles that match `query`: exact, then prefix, then word prefix, then substring; alphabetical within each. */
export function rankTitles(query: string, titles: readonly string[], limit = 20): string[] {
  const q = query.trim().toLowerCase();
  const scored: { title: string; rank: number }[] = [];
  const seen = new Set<string>();
  for (const title of titles) {
    const t = title.toLowerCase();
    if (seen.has(t)) continue;
    seen.add(t);
    let rank: number;
    if (q === '') rank = 3;
    else if (t === q) rank = 0;
    else if (t.startsWith(q)) rank = 1;
    else if (t.split(/[\s\-_/]+/).some((w) => w.startsWith(q))) rank = 2;
    else if (t.includes(q)) rank = 3;
    else continue;
    scored.push({ title, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || a.title.localeCompare(b.title));
  return scored.slice(0, limit).map((s) => s.title);
}

/** The text that completes a wikilink: the title and, unless already there, the closing brackets. */
export function completeWikilink(title: string, textAfterCursor: string): { insert: string; consume: number } {
  const closing = /^[^\n[\]]*\]\]/.exec(textAfterCursor);
  return closing ? { insert: title, consume: closing[0].length - 2 } : { insert: `${title}]]`, consume: 0 };
}
