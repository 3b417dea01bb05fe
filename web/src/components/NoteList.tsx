import { useRef, useState, type KeyboardEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { FolderNode, NoteSort } from '../api/types';
import { useAction } from '../lib/actions';
import { dragKinds } from '../lib/drag';
import { formatExact, formatWhen } from '../lib/format';
import { navigate, useRoute } from '../lib/router';
import { useWorkspace } from '../lib/workspace';

interface Row { id: number; title: string; updatedAt?: string; tags?: string[] }

const pageSize = 50;

export function NoteList() {
  const { folder, tag, topic, selectTag, selectTopic } = useWorkspace();
  const [sort, setSort] = useState<NoteSort>('updated');
  const route = useRoute();
  const openId = route.name === 'note' ? route.id : null;
  const run = useAction();
  const tree = useQuery({ queryKey: ['folder-tree'], queryFn: api.folderTree });
  const pages = useInfiniteQuery({
    // A topic lists its notes everywhere: the folder selection does not narrow it.
    queryKey: ['notes', topic ? null : folder, tag, topic?.id ?? null, sort],
    queryFn: ({ pageParam }) => api.listNotes({ folderId: topic ? null : folder, tag, topicId: topic?.id, sort, cursor: pageParam, limit: pageSize }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows: Row[] = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLLIElement | null)[]>([]);

  const folderName = folder === null ? 'All notes' : folder === 0 ? 'Top level' : findName(tree.data?.folders ?? [], folder) ?? 'Folder';
  const heading = topic ? `Topic: ${topic.label}` : tag ? `#${tag}` : folderName;

  const createNote = async () => {
    const created = await run(() => api.createNote('# Untitled\n\n', folder === 0 ? null : folder));
    if (created) navigate({ name: 'note', id: created.value.id });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const move = (i: number) => { e.preventDefault(); setActive(i); refs.current[i]?.focus(); };
    if (e.key === 'ArrowDown') move(Math.min(active + 1, rows.length - 1));
    else if (e.key === 'ArrowUp') move(Math.max(active - 1, 0));
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      const row = rows[active];
      if (row) { e.preventDefault(); navigate({ name: 'note', id: row.id }); }
    }
  };

  return (
    <section className="note-list" aria-labelledby="notes-heading">
      <div className="section-head">
        <h2 id="notes-heading" title={heading}>{heading}</h2>
        {(tag ?? topic) && (
          <button type="button" className="link" onClick={() => { selectTag(null); selectTopic(null); }}>clear filter</button>
        )}
      </div>
      <div className="list-controls">
        <label htmlFor="note-sort" className="visually-hidden">Sort notes by</label>
        <select id="note-sort" value={sort} onChange={(e) => { setSort(e.target.value as NoteSort); }}>
          <option value="updated">Last edited</option>
          <option value="created">Created</option>
          <option value="title">Title</option>
        </select>
        <button type="button" className="primary" onClick={() => { void createNote(); }}>New note</button>
      </div>
      {pages.isError && <p className="muted small" role="alert">The notes could not be loaded.</p>}
      {rows.length === 0 && !pages.isLoading && <p className="muted small">{tag || topic ? 'No notes here.' : 'No notes in this folder yet.'}</p>}
      <ul className="notes" role="listbox" aria-labelledby="notes-heading" onKeyDown={onKeyDown}>
        {rows.map((n, i) => (
          <li
            key={n.id}
            ref={(el) => { refs.current[i] = el; }}
            role="option"
            aria-selected={n.id === openId}
            tabIndex={i === active ? 0 : -1}
            className={n.id === openId ? 'current' : undefined}
            draggable
            onDragStart={(e) => { e.dataTransfer.setData(dragKinds.note, String(n.id)); e.dataTransfer.effectAllowed = 'move'; }}
            onFocus={() => { setActive(i); }}
            onClick={() => { setActive(i); navigate({ name: 'note', id: n.id }); }}
          >
            <span className="note-title">{n.title || 'Untitled'}</span>
            {n.updatedAt && <time dateTime={n.updatedAt} title={formatExact(n.updatedAt)}>{formatWhen(n.updatedAt)}</time>}
          </li>
        ))}
      </ul>
      {pages.hasNextPage && (
        <button type="button" className="more" disabled={pages.isFetchingNextPage} onClick={() => { void pages.fetchNextPage(); }}>
          {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

function findName(nodes: FolderNode[], id: number): string | undefined {
  for (const n of nodes) {
    if (n.id === id) return n.name;
    const hit = findName(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}
