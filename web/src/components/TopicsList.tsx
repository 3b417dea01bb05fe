import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { GraphData } from '../api/types';
import { useWorkspace, type TopicFilter } from '../lib/workspace';

/** Topics and the notes in each, read off the knowledge graph's note–topic links. */
export function topicsOf(graph: GraphData): TopicFilter[] {
  const topics = new Map<string, TopicFilter>();
  const titles = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.kind === 'topic') topics.set(n.id, { id: n.refId, label: n.label, notes: [] });
    else titles.set(n.id, n.label);
  }
  for (const l of graph.links) {
    const topic = topics.get(l.source) ?? topics.get(l.target);
    const other = topics.has(l.source) ? l.target : l.source;
    if (topic && other.startsWith('note:')) topic.notes.push({ id: Number(other.slice(5)), title: titles.get(other) ?? other });
  }
  return [...topics.values()].filter((t) => t.notes.length > 0).sort((a, b) => b.notes.length - a.notes.length || a.label.localeCompare(b.label));
}

export function TopicsList() {
  // Read only once the list is opened: the graph can be large.
  const [open, setOpen] = useState(false);
  const graph = useQuery({ queryKey: ['graph', 'topics'], queryFn: () => api.graph({ limit: 5000 }), staleTime: 60_000, enabled: open });
  const { topic, selectTopic } = useWorkspace();
  const topics = useMemo(() => (graph.data ? topicsOf(graph.data) : []), [graph.data]);
  return (
    <details className="facet" onToggle={(e) => { setOpen(e.currentTarget.open); }}>
      <summary>Topics</summary>
      {graph.isLoading && <p className="muted small">Loading…</p>}
      {graph.isSuccess && topics.length === 0 ? <p className="muted small">Topics appear once notes are indexed.</p> : (
        <ul className="chips" aria-label="Filter notes by topic">
          {topics.slice(0, 40).map((t) => (
            <li key={t.id}>
              <button type="button" className="chip" aria-pressed={topic?.id === t.id} onClick={() => { selectTopic(topic?.id === t.id ? null : t); }}>
                {t.label} <span className="count">{t.notes.length}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
