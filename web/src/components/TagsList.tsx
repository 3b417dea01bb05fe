import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useWorkspace } from '../lib/workspace';

export function TagsList() {
  const tags = useQuery({ queryKey: ['tags'], queryFn: api.tags });
  const { tag, selectTag } = useWorkspace();
  if (!tags.data || tags.data.length === 0) return null;
  return (
    <details className="facet" open>
      <summary>Tags</summary>
      <ul className="chips" aria-label="Filter notes by tag">
        {tags.data.map((t) => (
          <li key={t.tag}>
            <button type="button" className="chip" aria-pressed={tag === t.tag} onClick={() => { selectTag(tag === t.tag ? null : t.tag); }}>
              #{t.tag} <span className="count">{t.count}</span>
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
