import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useWorkspace } from '../lib/workspace';

/** Topics the indexer found, with their note counts; one click filters the note list to a topic. */
export function TopicsList() {
  // Kept fresh while indexing adds topics (a note change refreshes it too).
  const topics = useQuery({ queryKey: ['topics'], queryFn: () => api.topics(30), refetchInterval: 30_000 });
  const { topic, selectTopic } = useWorkspace();
  return (
    <details className="facet" open>
      <summary>Topics</summary>
      {topics.isLoading && <p className="muted small">Loading…</p>}
      {topics.isSuccess && topics.data.length === 0 ? <p className="muted small">Topics appear once notes are indexed.</p> : (
        <ul className="chips" aria-label="Filter notes by topic">
          {(topics.data ?? []).map((t) => (
            <li key={t.id}>
              <button type="button" className="chip" aria-pressed={topic?.id === t.id}
                onClick={() => { selectTopic(topic?.id === t.id ? null : { id: t.id, label: t.label }); }}>
                {t.label} <span className="count">{t.count}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
