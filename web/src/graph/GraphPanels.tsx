// The graph view's side panels: ranked retrieval results, filters, topic legend, and a keyboard list of notes.
import type { GraphData, GraphNode, RetrieveResponse } from '../api/types';
import { navigate } from '../lib/router';
import { edgeColors, edgeKindLabels, topicColor } from './graphModel';

export interface Filters { minWeight: number; hiddenKinds: Set<string> }

const openNote = (id: number) => { navigate({ name: 'note', id }); };

export function RankedNotes({ retrieved, onClear }: { retrieved: RetrieveResponse; onClear: () => void }) {
  return (
    <section aria-labelledby="retrieved-h">
      <h2 id="retrieved-h">Ranked notes <button type="button" className="link" onClick={onClear}>clear</button></h2>
      <ol className="ranked">
        {retrieved.results.map((r) => (
          <li key={r.id}>
            <button type="button" className="link" onClick={() => { openNote(r.id); }}>{r.title}</button>
            <span className="muted small"> {r.score.toFixed(3)}{r.seed ? ' · search match' : ` · via ${r.path.length} link${r.path.length === 1 ? '' : 's'}`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function GraphFilters({ kinds, filters, onChange }: { kinds: string[]; filters: Filters; onChange: (update: (f: Filters) => Filters) => void }) {
  return (
    <fieldset>
      <legend>Filters</legend>
      <label htmlFor="min-weight">Minimum weight: {filters.minWeight.toFixed(2)}</label>
      <input id="min-weight" type="range" min={0} max={1} step={0.05} value={filters.minWeight}
        onChange={(e) => { const minWeight = Number(e.target.value); onChange((f) => ({ ...f, minWeight })); }} />
      {kinds.map((k) => (
        <label key={k} className="check">
          <input type="checkbox" checked={!filters.hiddenKinds.has(k)} onChange={(e) => {
            const shown = e.target.checked;
            onChange((f) => {
              const hidden = new Set(f.hiddenKinds);
              if (shown) hidden.delete(k); else hidden.add(k);
              return { ...f, hiddenKinds: hidden };
            });
          }} /> <span className="swatch line" style={{ background: edgeColors[k] ?? '#888' }} aria-hidden="true" />{edgeKindLabels[k] ?? `${k} links`}
        </label>
      ))}
    </fieldset>
  );
}

export function TopicLegend({ data }: { data: GraphData | undefined }) {
  const topics = (data?.nodes ?? []).filter((n) => n.kind === 'topic').slice(0, 10);
  if (topics.length === 0) return null;
  return (
    <section aria-labelledby="legend-h">
      <h2 id="legend-h">Topics</h2>
      <ul className="legend">
        {topics.map((t) => <li key={t.id}><span className="swatch" style={{ background: topicColor(t.refId) }} aria-hidden="true" />{t.label}</li>)}
      </ul>
    </section>
  );
}

/** The best-connected notes as a list: what the canvas shows, reachable by keyboard and screen readers. */
export function TopNotes({ nodes }: { nodes: GraphNode[] }) {
  const top = nodes.filter((n) => n.kind === 'note').slice(0, 30);
  if (top.length === 0) return null;
  return (
    <section aria-labelledby="top-h">
      <h2 id="top-h">Most connected</h2>
      <ul className="top-nodes">
        {top.map((n) => (
          <li key={n.id}><button type="button" className="link" onClick={() => { openNote(n.refId); }}>{n.label}</button> <span className="count">{n.degree}</span></li>
        ))}
      </ul>
    </section>
  );
}

export function GraphStats({ data, layoutDone }: { data: GraphData | undefined; layoutDone: boolean }) {
  if (!data) return null;
  return (
    <span className="muted small" role="status" data-testid="graph-stats">
      {data.nodes.length} nodes · {data.links.length} links{data.truncated ? ` (strongest of ${data.totalLinks})` : ''}
      {data.nodes.length > 0 && !layoutDone ? ' · arranging…' : ''}
    </span>
  );
}
