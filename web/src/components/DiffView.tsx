import { useMemo } from 'react';
import { diffStats, foldUnchanged, lineDiff } from '../lib/diff';

/** A unified line diff; `before` and `after` name the two sides for screen readers and the legend. */
export function DiffView({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const rows = useMemo(() => lineDiff(before, after), [before, after]);
  const stats = diffStats(rows);
  const shown = useMemo(() => foldUnchanged(rows), [rows]);
  return (
    <figure className="diff">
      <figcaption>
        <span className="del-legend">− {beforeLabel}</span> <span className="add-legend">+ {afterLabel}</span>
        <span className="muted"> · {stats.added} added, {stats.removed} removed</span>
      </figcaption>
      {stats.added === 0 && stats.removed === 0 ? <p className="muted">No differences.</p> : (
        <pre className="diff-lines" tabIndex={0} aria-label={`Differences: ${stats.added} lines added, ${stats.removed} removed`}>
          {shown.map((r, i) => r.kind === 'fold'
            ? <div key={i} className="diff-fold">⋯ {r.count} unchanged lines</div>
            : (
              <div key={i} className={`diff-${r.kind}`}>
                <span className="diff-sign" aria-label={r.kind === 'add' ? 'added' : r.kind === 'del' ? 'removed' : undefined}>
                  {r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ' '}
                </span>
                {r.text || ' '}
              </div>
            ))}
        </pre>
      )}
    </figure>
  );
}
