import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';

export interface NoteRef { id: number; title: string }

const maxTitles = 10_000;

/** Every note's title, paged through GET /api/notes (500 a page), for wikilink completion and resolution. */
export async function loadNoteRefs(): Promise<NoteRef[]> {
  const refs: NoteRef[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.listNotes({ sort: 'title', cursor, limit: 500 });
    refs.push(...page.items.map((n) => ({ id: n.id, title: n.title })));
    cursor = page.nextCursor;
  } while (cursor !== null && refs.length < maxTitles);
  return refs;
}

const titlesQuery = { queryKey: ['note-titles'], queryFn: loadNoteRefs, staleTime: 30_000 };

export function useNoteTitles() {
  const queries = useQueryClient();
  const titles = useQuery(titlesQuery);
  const load = useCallback(() => queries.query(titlesQuery), [queries]);
  return { refs: titles.data, load };
}
