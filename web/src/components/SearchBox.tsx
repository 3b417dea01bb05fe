import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { SearchMode, SearchResponse, SearchResult } from '../api/types';
import { snippetParts } from '../lib/sanitize';
import { navigate } from '../lib/router';
import { useToast } from '../lib/toast';

const modes: { value: SearchMode; label: string }[] = [
  { value: 'auto', label: 'auto' },
  { value: 'hybrid', label: 'hybrid' },
  { value: 'fts', label: 'words (fts)' },
  { value: 'semantic', label: 'meaning' },
];

/** The server's reasons for a result, in words: its full-text rank, its similarity in meaning, and the passage that matched. */
export function whyText(r: SearchResult, mode: SearchResponse['mode']): string {
  const parts: string[] = [];
  if (r.why.ftsRank !== null) parts.push(`words: rank ${r.why.ftsRank}${r.why.ftsScore === null ? '' : ` (bm25 ${r.why.ftsScore.toFixed(2)})`}`);
  if (r.why.semanticScore !== null) parts.push(`meaning: similarity ${r.why.semanticScore.toFixed(2)}`);
  if (r.why.chunk) {
    const text = r.why.chunk.text;
    parts.push(text ? `passage ${r.why.chunk.ordinal + 1}: “${text.length > 140 ? `${text.slice(0, 140)}…` : text}”` : `passage ${r.why.chunk.ordinal + 1} (changed since indexed)`);
  }
  if (parts.length === 0) parts.push(`ranked by ${mode} search`);
  return `Why: ${parts.join('; ')} · ${mode} score ${r.score.toFixed(3)}`;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => { setDebounced(value); }, ms);
    return () => { clearTimeout(t); };
  }, [value, ms]);
  return debounced;
}

export function SearchBox() {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<SearchMode>(() => {
    const saved = localStorage.getItem('neptune.searchMode');
    return modes.find((m) => m.value === saved)?.value ?? 'auto';
  });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const toast = useToast();
  const listId = useId();
  const q = useDebounced(text.trim(), 180);

  const search = useQuery({
    queryKey: ['search', q, mode],
    queryFn: ({ signal }) => api.search(q, mode, signal),
    enabled: q.length > 0,
    retry: false,
    staleTime: 5_000,
  });
  const results = search.data?.results ?? [];
  const ran = search.data?.mode;

  useEffect(() => {
    if (search.error) toast.error(search.error);
  }, [search.error, toast]);

  // "/" focuses search from anywhere except while typing.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => { window.removeEventListener('keydown', onKey); };
  }, []);

  const openResult = (r: SearchResult | undefined) => {
    if (!r) return;
    setOpen(false);
    navigate({ name: 'note', id: r.id });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(results.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openResult(results[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const changeMode = (m: SearchMode) => {
    setMode(m);
    setActive(0);
    localStorage.setItem('neptune.searchMode', m);
  };

  const showList = open && q.length > 0;
  return (
    <div className="search" role="search">
      <label htmlFor={`${listId}-input`} className="visually-hidden">Search notes</label>
      <input
        id={`${listId}-input`}
        ref={input}
        type="search"
        placeholder="Search notes  ( / )"
        value={text}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && results[active] ? `${listId}-${results[active].id}` : undefined}
        onChange={(e) => { setText(e.target.value); setOpen(true); setActive(0); }}
        onFocus={() => { setOpen(true); }}
        onBlur={() => { setTimeout(() => { setOpen(false); }, 150); }}
        onKeyDown={onKeyDown}
      />
      <label htmlFor={`${listId}-mode`} className="visually-hidden">Search mode</label>
      <select id={`${listId}-mode`} value={mode} onChange={(e) => { changeMode(e.target.value as SearchMode); }} title="Search mode">
        {modes.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
      </select>
      {showList && (
        <div className="search-panel">
          {search.data && (
            <p className="search-meta" data-testid="search-meta" data-query={q}>
              <span className="mode-ran" title="The mode the server ran">{ran} search</span>
              {search.data.degraded && <span className="degraded" role="status"> · {search.data.degraded}</span>}
            </p>
          )}
          <ul id={listId} className="search-results" role="listbox" aria-label="Search results">
            {search.isFetching && results.length === 0 && <li className="muted" role="presentation">Searching…</li>}
            {!search.isFetching && search.isSuccess && results.length === 0 && <li className="muted" role="presentation">No notes match “{q}”.</li>}
            {search.isError && <li className="muted" role="presentation">Search failed: see the message.</li>}
            {results.map((r, i) => (
              <li
                key={r.id}
                id={`${listId}-${r.id}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                title={whyText(r, ran ?? 'fts')}
                onMouseDown={(e) => { e.preventDefault(); openResult(r); }}
                onMouseEnter={() => { setActive(i); }}
              >
                <span className="result-title">{r.title}</span>
                {/* The snippet keeps only the server's <mark> highlights; anything else is text. */}
                <span className="result-snippet">
                  {snippetParts(r.snippet).map((p, k) => (p.mark ? <mark key={k}>{p.text}</mark> : <span key={k}>{p.text}</span>))}
                </span>
                <span className="result-why">{whyText(r, ran ?? 'fts')}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
