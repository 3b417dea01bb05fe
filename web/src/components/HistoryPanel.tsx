import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { formatExact, formatWhen } from '../lib/format';
import { DiffView } from './DiffView';

/** Earlier versions of the note: pick one to see what changed since, and restore it. */
export function HistoryPanel({ noteId, version, current, onRestore }: {
  noteId: number; version: number; current: string; onRestore: (version: number) => Promise<void>;
}) {
  const revisions = useQuery({ queryKey: ['revisions', noteId, version], queryFn: () => api.revisions(noteId) });
  const [picked, setPicked] = useState<number | null>(null);
  const revision = useQuery({
    queryKey: ['revision', noteId, picked],
    queryFn: () => api.revision(noteId, picked ?? 0),
    enabled: picked !== null,
  });
  const [busy, setBusy] = useState(false);

  if (revisions.isLoading) return <p className="muted">Loading history…</p>;
  const list = revisions.data ?? [];
  if (list.length === 0) return <p className="muted">No earlier versions yet: every save keeps the previous one here.</p>;

  return (
    <div className="history">
      <ul className="revisions" aria-label="Earlier versions">
        {list.map((r) => (
          <li key={r.version}>
            <button type="button" aria-pressed={picked === r.version} onClick={() => { setPicked(r.version); }}>
              <strong>v{r.version}</strong> <span title={formatExact(r.createdAt)}>{formatWhen(r.createdAt)}</span>
              <span className="muted small"> · {r.title}</span>
            </button>
          </li>
        ))}
      </ul>
      {picked !== null && revision.data && (
        <div className="revision">
          <DiffView before={revision.data.content ?? ''} after={current} beforeLabel={`v${picked}`} afterLabel="current" />
          <button type="button" className="primary" disabled={busy}
            onClick={() => { setBusy(true); void onRestore(picked).finally(() => { setBusy(false); setPicked(null); }); }}>
            Restore v{picked}
          </button>
        </div>
      )}
    </div>
  );
}
