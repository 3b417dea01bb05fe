import { useQuery } from '@tanstack/react-query';
import { api, optional } from '../api/client';
import type { RelatedNote } from '../api/types';
import { navigate } from '../lib/router';
import { useWorkspace } from '../lib/workspace';

function relatedList(data: Awaited<ReturnType<typeof api.related>> | null | undefined): RelatedNote[] | null {
  if (data === null || data === undefined) return null;
  return Array.isArray(data) ? data : data.items ?? data.results ?? [];
}

/** Backlinks, tags and related notes of the open note. */
export function LinksPanel({ noteId, tags }: { noteId: number; tags: string[] }) {
  const backlinks = useQuery({ queryKey: ['backlinks', noteId], queryFn: () => api.backlinks(noteId) });
  const related = useQuery({ queryKey: ['related', noteId], queryFn: () => optional(api.related(noteId)), retry: false });
  const { selectTag } = useWorkspace();
  const relatedNotes = relatedList(related.data);
  const linking = [...new Map((backlinks.data ?? []).map((l) => [l.sourceNoteId, l])).values()];

  return (
    <div className="links-panel">
      <section aria-labelledby="backlinks-h">
        <h3 id="backlinks-h">Backlinks <span className="count">{linking.length}</span></h3>
        {linking.length === 0 ? <p className="muted small">No note links here yet.</p> : (
          <ul>
            {linking.map((l) => (
              <li key={l.sourceNoteId}>
                <a href={`/notes/${l.sourceNoteId}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'note', id: l.sourceNoteId }); }}>{l.sourceTitle}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="tags-h">
        <h3 id="tags-h">Tags</h3>
        {tags.length === 0 ? <p className="muted small">No tags. Add #tags in the text or front matter.</p> : (
          <ul className="chips">
            {tags.map((t) => <li key={t}><button type="button" className="chip" onClick={() => { selectTag(t); }}>#{t}</button></li>)}
          </ul>
        )}
      </section>
      <section aria-labelledby="related-h">
        <h3 id="related-h">Related notes</h3>
        {related.isLoading && <p className="muted small">Loading…</p>}
        {related.isError && <p className="muted small">Related notes are unavailable right now.</p>}
        {related.isSuccess && relatedNotes === null && <p className="muted small">Related notes appear once semantic indexing is available.</p>}
        {relatedNotes?.length === 0 && <p className="muted small">Nothing closely related yet.</p>}
        {relatedNotes && relatedNotes.length > 0 && (
          <ul>
            {relatedNotes.map((r) => (
              <li key={r.id} title={r.why ?? (r.score === undefined ? undefined : `similarity ${r.score.toFixed(2)}`)}>
                <a href={`/notes/${r.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'note', id: r.id }); }}>{r.title}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
