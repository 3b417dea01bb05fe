import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { IndexStatus } from '../api/types';
import { useAction } from '../lib/actions';
import { formatExact, formatWhen } from '../lib/format';
import { navigate } from '../lib/router';
import { useToast } from '../lib/toast';

/** Busy while notes wait to be indexed; polls faster then, so progress moves. */
export function isBusy(s: IndexStatus): boolean {
  return s.pending > 0 || s.queueDepth > 0;
}

/** The header's indexing state: totals at a glance, and on opening the model, the queue and every failure with its reason. */
export function IndexStatusIndicator() {
  const status = useQuery({
    queryKey: ['index-status'],
    queryFn: () => api.indexStatus(),
    refetchInterval: (q) => (q.state.data && isBusy(q.state.data) ? 2_000 : 10_000),
    retry: false,
  });
  const queries = useQueryClient();
  const run = useAction();
  const toast = useToast();

  if (status.isError) return <span className="index-status" role="status">Index status unavailable</span>;
  if (!status.data) return null;

  const s = status.data;
  const busy = isBusy(s);
  const retry = async () => {
    const answer = await run(() => api.retryFailed());
    if (!answer) return;
    toast.show('info', `Queued ${answer.queued} note${answer.queued === 1 ? '' : 's'} to index again`);
    await queries.invalidateQueries({ queryKey: ['index-status'] });
  };
  return (
    <details className="index-status" data-testid="index-status">
      <summary aria-label={`Index: ${s.summary}`} title={s.summary}>
        <span className={`dot ${s.failed ? 'dot-error' : busy ? 'dot-busy' : 'dot-ok'}`} aria-hidden="true" />
        {busy && s.notes > 0 ? <progress max={s.notes} value={s.indexed} aria-hidden="true" /> : null}
        <span>{s.indexed}/{s.notes}</span>
        {s.failed > 0 && <span className="failed-count">· {s.failed} failed</span>}
      </summary>
      <div className="popover">
        <p><strong>{s.summary}</strong></p>
        <dl className="index-facts">
          <dt>Model</dt><dd>{s.model ?? 'none active: search runs on full text'}</dd>
          <dt>Queue</dt><dd>{s.queueDepth} job{s.queueDepth === 1 ? '' : 's'} waiting or running{s.deadJobs ? `, ${s.deadJobs} given up` : ''}</dd>
        </dl>
        {s.failed === 0 ? <p className="muted small">No indexing failures.</p> : (
          <>
            <h3>Failed notes</h3>
            <ul className="failures" aria-label="Indexing failures">
              {s.failures.map((f) => (
                <li key={f.noteId}>
                  <a href={`/notes/${f.noteId}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'note', id: f.noteId }); }}>{f.title}</a>
                  {' '}<time className="muted small" dateTime={f.failedAt} title={formatExact(f.failedAt)}>{formatWhen(f.failedAt)}</time>
                  <div className="failure-reason">{f.error}</div>
                </li>
              ))}
            </ul>
            {s.failures.length < s.failed && <p className="muted small">and {s.failed - s.failures.length} more.</p>}
            <button type="button" onClick={() => { void retry(); }}>Retry failed notes</button>
          </>
        )}
      </div>
    </details>
  );
}
