import { useQuery } from '@tanstack/react-query';
import { api, optional } from '../api/client';
import type { IndexStatus } from '../api/types';

export function indexProgress(s: IndexStatus): { done: number; total: number; failed: number } {
  const failed = s.failed ?? s.failures?.length ?? 0;
  const total = s.total ?? (s.indexed ?? 0) + (s.pending ?? 0) + (s.running ?? 0) + failed;
  const done = s.indexed ?? Math.max(0, total - (s.pending ?? 0) - (s.running ?? 0) - failed);
  return { done, total, failed };
}

/** Indexing progress and failures; until the indexer's route exists it says full-text search is what runs. */
export function IndexStatusIndicator() {
  const status = useQuery({
    queryKey: ['index-status'],
    queryFn: () => optional(api.indexStatus()),
    refetchInterval: (q) => (q.state.data === null ? 60_000 : 5_000),
    retry: false,
  });

  if (status.isError) return <span className="index-status" role="status">Index status unavailable</span>;
  if (status.data === undefined) return null;
  if (status.data === null) {
    return (
      <span className="index-status" role="status" title="Semantic indexing is not part of this server yet: search runs on full text, which is always up to date.">
        <span className="dot dot-idle" aria-hidden="true" /> Full-text index
      </span>
    );
  }

  const { done, total, failed } = indexProgress(status.data);
  const busy = total > 0 && done + failed < total;
  return (
    <details className="index-status">
      <summary aria-label={`Indexing: ${done} of ${total} notes indexed${failed ? `, ${failed} failed` : ''}`}>
        <span className={`dot ${failed ? 'dot-error' : busy ? 'dot-busy' : 'dot-ok'}`} aria-hidden="true" />
        {busy ? <progress max={total} value={done} aria-hidden="true" /> : null}
        {' '}{done}/{total}{failed ? ` · ${failed} failed` : ''}
      </summary>
      <div className="popover">
        {failed === 0 ? <p>No indexing failures.</p> : (
          <ul className="failures">
            {(status.data.failures ?? []).map((f) => (
              <li key={f.noteId}><a href={`/notes/${f.noteId}`}>{f.title ?? `Note ${f.noteId}`}</a>: {f.error}</li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
