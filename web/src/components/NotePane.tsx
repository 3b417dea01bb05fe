import { useQuery } from '@tanstack/react-query';
import { api, type Versioned } from '../api/client';
import type { Note } from '../api/types';
import { NoteEditor } from './NoteEditor';

export default function NotePane({ id }: { id: number }) {
  const note = useQuery({
    queryKey: ['note', id],
    queryFn: ({ signal }) => api.getNote(id, signal),
    // The editor owns the text once loaded; a fresh copy is read each time the note is opened.
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  if (note.isError) {
    return (
      <div className="placeholder" role="alert">
        <h1>Cannot open this note</h1>
        <p>{note.error.message}</p>
      </div>
    );
  }
  if (!note.data) return <p className="placeholder" role="status">Opening…</p>;
  return <NoteEditor initial={note.data satisfies Versioned<Note>} />;
}
