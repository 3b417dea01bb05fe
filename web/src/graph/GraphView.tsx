import { useEffect, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import Sigma from 'sigma';
import { EdgeLineProgram, NodePointProgram } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { api } from '../api/client';
import type { RetrieveResponse } from '../api/types';
import { lastNote } from '../lib/lastNote';
import { navigate } from '../lib/router';
import { useToast } from '../lib/toast';
import { Icon } from '../components/Icon';
import { addLink, addNode, buildGraph, edgeKinds, pathHighlights, type EdgeAttrs, type NeptuneGraph, type NodeAttrs } from './graphModel';
import { GraphFilters, GraphStats, RankedNotes, TopicLegend, TopNotes, type Filters } from './GraphPanels';

interface Highlight { nodes: Set<string>; edges: Set<string> }

function layoutMillis(order: number): number {
  return Math.min(1500 + order * 0.8, 6000);
}

export default function GraphView() {
  const centre = lastNote();
  const [mode, setMode] = useState<'all' | 'neighbourhood'>('all');
  const [depth, setDepth] = useState(2);
  const [filters, setFilters] = useState<Filters>({ minWeight: 0, hiddenKinds: new Set() });
  const [question, setQuestion] = useState('');
  const [retrieved, setRetrieved] = useState<RetrieveResponse | null>(null);
  const [layoutDone, setLayoutDone] = useState(false);
  const toast = useToast();

  const data = useQuery({
    queryKey: ['graph', mode, mode === 'neighbourhood' ? centre?.id : null, depth],
    queryFn: () => (mode === 'neighbourhood' && centre ? api.neighborhood(centre.id, depth) : api.graph({ limit: 20_000 })),
    staleTime: 30_000,
  });
  useEffect(() => { if (data.error) toast.error(data.error); }, [data.error, toast]);

  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma<NodeAttrs, EdgeAttrs> | null>(null);
  const graph = useRef<NeptuneGraph | null>(null);
  const state = useRef<{ filters: Filters; highlight: Highlight | null; hovered: string | null }>({ filters, highlight: null, hovered: null });

  const highlight = useMemo<Highlight | null>(() => retrieved
    ? pathHighlights(retrieved.results.map((r) => r.path), retrieved.results.map((r) => `note:${r.id}`))
    : null, [retrieved]);

  useEffect(() => {
    state.current.filters = filters;
    state.current.highlight = highlight;
    sigma.current?.refresh();
  }, [filters, highlight]);

  useEffect(() => {
    const host = container.current;
    if (!host || !data.data || data.data.nodes.length === 0) return;
    const g = buildGraph(data.data);
    graph.current = g;
    const css = getComputedStyle(document.documentElement);
    // What a retrieval answer does not involve stays visible as context, in the theme's greys.
    const dimmedNode = css.getPropertyValue('--graph-dim-node').trim() || '#c3c9d1';
    const dimmedEdge = css.getPropertyValue('--graph-dim-edge').trim() || '#e2e5e9';
    // Past a few thousand nodes, draw for speed: nodes as points, edges as 1 px lines, nothing but nodes while the camera moves.
    const big = g.order > 2000 || g.size > 4000;
    const renderer = new Sigma<NodeAttrs, EdgeAttrs>(g, host, {
      renderEdgeLabels: false,
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      ...(big ? {
        defaultNodeType: 'point',
        nodeProgramClasses: { point: NodePointProgram },
        defaultEdgeType: 'thin',
        edgeProgramClasses: { thin: EdgeLineProgram },
      } : {}),
      labelRenderedSizeThreshold: big ? 9 : 7,
      labelColor: { color: css.getPropertyValue('--text').trim() || '#222' },
      labelFont: 'Inter Variable, system-ui, sans-serif',
      zIndex: true,
      // sigma hands each reducer its own copy of the attributes: changing it in place saves 20k copies per full refresh.
      nodeReducer: (node, attrs) => {
        const { highlight: hl, hovered } = state.current;
        const out: Partial<NodeDisplayData> & NodeAttrs = attrs;
        if (hl) {
          if (hl.nodes.has(node)) { out.zIndex = 2; out.highlighted = true; out.forceLabel = true; } else { out.color = dimmedNode; out.label = ''; }
        }
        if (hovered && (node === hovered || g.areNeighbors(node, hovered))) { out.forceLabel = true; out.zIndex = 3; }
        return out;
      },
      edgeReducer: (edge, attrs) => {
        const { filters: f, highlight: hl, hovered } = state.current;
        const out: Partial<EdgeDisplayData> & EdgeAttrs = attrs;
        if (attrs.weight < f.minWeight || f.hiddenKinds.has(attrs.kind)) out.hidden = true;
        if (hl) {
          if (hl.edges.has(edge)) { out.color = '#e8590c'; out.size = 3; out.zIndex = 2; } else out.color = dimmedEdge;
        }
        if (hovered && g.hasExtremity(edge, hovered)) { out.size += 1; out.zIndex = 3; }
        return out;
      },
    });
    sigma.current = renderer;
    const captor = renderer.getMouseCaptor();
    const camera = renderer.getCamera();
    // Hover picking reads a pixel back from the GPU on every mouse move, which waits for the frame in flight: not while
    // panning. (sigma 3 has no setting for it; its picking method is private, and if it is renamed this does nothing.)
    const picking = renderer as unknown as { getNodeAtPosition: (position: { x: number; y: number }) => string | null };
    const pick = picking.getNodeAtPosition.bind(renderer);
    picking.getNodeAtPosition = (position) => (captor.isMouseDown || camera.isAnimated() ? null : pick(position));
    // After a drag, sigma re-reads the whole graph (a full refresh: every reducer, every buffer) only to draw the edges it
    // hid while moving; nothing changed, so a render does. That refresh was the longest frame of a pan at 5k nodes.
    let released = false;
    const refresh = renderer.refresh.bind(renderer);
    renderer.refresh = (opts) => {
      if (released && opts === undefined) {
        released = false;
        return renderer.scheduleRender();
      }
      return refresh(opts);
    };
    captor.on('mouseup', () => {
      released = true;
      setTimeout(() => { released = false; }, 0);  // runs after sigma's own timeout, which calls refresh()
    });
    renderer.on('clickNode', ({ node }) => {
      const attrs = g.getNodeAttributes(node);
      if (attrs.kind === 'note') navigate({ name: 'note', id: attrs.refId });
    });
    // Hover lights up a node's neighbourhood: only those nodes and edges are redrawn, and not while dragging.
    const hover = (node: string | null) => {
      const before = state.current.hovered;
      if (before === node || renderer.getMouseCaptor().isMouseDown) return;
      state.current.hovered = node;
      host.style.cursor = node ? 'pointer' : '';
      const nodes = new Set<string>();
      const edges = new Set<string>();
      for (const n of [before, node]) {
        if (n === null || !g.hasNode(n)) continue;
        nodes.add(n);
        g.forEachNeighbor(n, (m) => nodes.add(m));
        g.forEachEdge(n, (e) => edges.add(e));
      }
      renderer.refresh({ partialGraph: { nodes: [...nodes], edges: [...edges] }, skipIndexation: true });
    };
    renderer.on('enterNode', ({ node }) => { hover(node); });
    renderer.on('leaveNode', () => { hover(null); });

    setLayoutDone(false);
    const layout = new FA2Layout(g, { settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 500 } });
    layout.start();
    // The layout stops after a time, or as soon as the user takes the camera: moving nodes under a moving camera help no one.
    const finish = () => {
      clearTimeout(stop);
      if (layout.isRunning()) layout.stop();
      setLayoutDone(true);
    };
    const stop = setTimeout(finish, layoutMillis(g.order));
    captor.once('mousedown', finish);
    captor.once('wheel', finish);
    return () => {
      clearTimeout(stop);
      layout.kill();
      renderer.kill();
      sigma.current = null;
      graph.current = null;
    };
  }, [data.data]);

  const retrieve = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!question.trim()) return;
    try {
      const answer = await api.retrieve(question.trim(), 10);
      const g = graph.current;
      if (g) {
        // Paths may pass through nodes the drawn graph left out (capped): add them next to their neighbours.
        for (const n of answer.subgraph.nodes) {
          const neighbour = answer.subgraph.links.find((l) => l.source === n.id || l.target === n.id);
          const other = neighbour ? (neighbour.source === n.id ? neighbour.target : neighbour.source) : null;
          addNode(g, n, other && g.hasNode(other) ? g.getNodeAttributes(other) : undefined);
        }
        for (const l of answer.subgraph.links) addLink(g, l);
      }
      setRetrieved(answer);
      if (answer.results.length === 0) toast.show('info', 'No notes answer that question yet.');
    } catch (err) {
      toast.error(err);
    }
  };

  const camera = () => sigma.current?.getCamera();
  const nodes = useMemo(() => data.data?.nodes ?? [], [data.data]);
  const kinds = data.data ? edgeKinds(data.data) : [];

  return (
    <section className="graph-view" aria-labelledby="graph-h">
      <div className="view-head graph-head">
        <h1 id="graph-h">Knowledge graph</h1>
        <div className="segmented" role="group" aria-label="Graph scope">
          <button type="button" aria-pressed={mode === 'all'} onClick={() => { setMode('all'); }}>Whole graph</button>
          <button type="button" aria-pressed={mode === 'neighbourhood'} disabled={!centre} title={centre ? `Around “${centre.title}”` : 'Open a note first'}
            onClick={() => { setMode('neighbourhood'); }}>Around {centre ? `“${centre.title}”` : 'the open note'}</button>
        </div>
        {mode === 'neighbourhood' && (
          <label className="inline">Depth
            <select value={depth} onChange={(e) => { setDepth(Number(e.target.value)); }}>
              {[1, 2, 3].map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </label>
        )}
        <GraphStats data={data.data} layoutDone={layoutDone} />
      </div>
      <div className="graph-layout">
        <div className="graph-canvas-wrap">
          {data.isLoading && <p className="placeholder" role="status">Loading the graph…</p>}
          {data.data && nodes.length === 0 && (
            <div className="placeholder">
              <h2>No connections yet</h2>
              <p>The graph fills in as Neptune indexes your notes: links, shared topics and similar notes become edges.</p>
            </div>
          )}
          <div ref={container} className="graph-canvas" data-testid="graph-canvas" data-layout={layoutDone ? 'done' : 'running'}
            role="img" aria-label={`Knowledge graph of ${nodes.length} nodes. The list beside it offers the same notes to the keyboard.`} />
          <div className="zoom-controls" role="group" aria-label="Zoom">
            <button type="button" className="icon" aria-label="Zoom in" onClick={() => { void camera()?.animatedZoom({ duration: 200 }); }}><Icon name="plus" /></button>
            <button type="button" className="icon" aria-label="Zoom out" onClick={() => { void camera()?.animatedUnzoom({ duration: 200 }); }}><Icon name="minus" /></button>
            <button type="button" className="icon" aria-label="Fit the whole graph" onClick={() => { void camera()?.animatedReset({ duration: 200 }); }}><Icon name="fit" /></button>
          </div>
        </div>
        <aside className="graph-side" aria-label="Graph controls">
          <form onSubmit={(e) => { void retrieve(e); }} className="retrieve">
            <label htmlFor="graph-question">Ask the graph</label>
            <div className="row">
              <input id="graph-question" value={question} placeholder="A question or some words" onChange={(e) => { setQuestion(e.target.value); }} />
              <button type="submit" className="primary">Find</button>
            </div>
          </form>
          {retrieved && <RankedNotes retrieved={retrieved} onClear={() => { setRetrieved(null); }} />}
          <GraphFilters kinds={kinds} filters={filters} onChange={setFilters} />
          <TopicLegend data={data.data} />
          <TopNotes nodes={nodes} />
        </aside>
      </div>
    </section>
  );
}
