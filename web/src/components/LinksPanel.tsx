import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { RelatedNote } from '../api/types';
import { navigate } from '../lib/router';
import { useWorkspace } from '../lib/workspace';

export function relatedTitle(r: RelatedNote): string {
  return `Similarity in meaning ${r.score.toFixed(2)}${r.linked ? '; a link already joins the two notes' : ''}`;
}

/** Backlinks, tags and related notes of the open note. */
export function LinksPanel({ noteId, tags }: { noteId: number; tags: string[] }) {
  const backlinks = useQuery({ queryKey: ['backlinks', noteId], queryFn: () => api.backlinks(noteId) });
  // Empty until the note is indexed: ask again now and then, so the list appears without a reload.
  const related = useQuery({
    queryKey: ['related', noteId],
    queryFn: () => api.related(noteId),
    refetchInterval: (q) => (q.state.data?.results.length === 0 ? 5_000 : false),
  });
  const { selectTag } = useWorkspace();
  const relatedNotes = related.data?.results;
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
        {relatedNotes?.length === 0 && <p className="muted small">None yet: related notes appear once this note is indexed.</p>}
        {relatedNotes && relatedNotes.length > 0 && (
          <ul className="related" aria-label="Related notes">
            {relatedNotes.map((r) => (
              <li key={r.id} title={relatedTitle(r)}>
                <a href={`/notes/${r.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'note', id: r.id }); }}>{r.title}</a>
                <span className="related-meta">
                  {r.linked && <span className="linked-badge" aria-label="linked">↔</span>}
                  <meter min={0} max={1} value={Math.max(0, r.score)} aria-label={`similarity ${r.score.toFixed(2)}`} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
