// Turns the API's graph into a graphology graph styled for sigma: colour by topic, size by degree.
import Graph from 'graphology';
import type { GraphData, GraphLink, GraphNode } from '../api/types';

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  kind: 'note' | 'topic';
  refId: number;
  topicId: number | null;
}

export interface EdgeAttrs {
  kind: string;
  weight: number;
  color: string;
  size: number;
}

export type NeptuneGraph = Graph<NodeAttrs, EdgeAttrs>;

const palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#2f9e9e', '#8f6ed5', '#d37295'];
export const noTopicColor = '#9aa0a6';
/** The API's link kinds: note↔note `link` (wikilinks, Markdown links) and `semantic`; note→topic `membership`; topic↔topic `relation`. */
export const edgeColors: Record<string, string> = { link: '#7a8699', semantic: '#5aa2c8', membership: '#c9a54a', relation: '#b07aa1' };
export const edgeKindLabels: Record<string, string> = {
  link: 'Links between notes', semantic: 'Similar in meaning', membership: 'Note to topic', relation: 'Topic to topic',
};

export function topicColor(topicId: number | null): string {
  return topicId === null ? noTopicColor : palette[Math.abs(topicId) % palette.length] ?? noTopicColor;
}

export function nodeSize(degree: number, kind: GraphNode['kind']): number {
  return Math.min((kind === 'topic' ? 4 : 2) + Math.sqrt(degree) * 1.2, kind === 'topic' ? 16 : 12);
}

export function addNode(graph: NeptuneGraph, n: GraphNode, near?: { x: number; y: number }, distance?: number): void {
  if (graph.hasNode(n.id)) return;
  const angle = Math.random() * Math.PI * 2;
  const radius = distance ?? (near ? 5 : 100 * Math.sqrt(Math.random()));
  graph.addNode(n.id, {
    x: (near?.x ?? 0) + Math.cos(angle) * radius,
    y: (near?.y ?? 0) + Math.sin(angle) * radius,
    size: nodeSize(n.degree, n.kind),
    color: topicColor(n.kind === 'topic' ? n.refId : n.topicId),
    label: n.label,
    kind: n.kind,
    refId: n.refId,
    topicId: n.topicId,
  });
}

export function edgeKey(l: Pick<GraphLink, 'source' | 'target' | 'kind'>): string {
  return `${l.source}|${l.target}|${l.kind}`;
}

export function addLink(graph: NeptuneGraph, l: GraphLink): void {
  if (!graph.hasNode(l.source) || !graph.hasNode(l.target) || l.source === l.target) return;
  const key = edgeKey(l);
  if (graph.hasEdge(key)) return;
  graph.addEdgeWithKey(key, l.source, l.target, {
    kind: l.kind, weight: l.weight, color: edgeColors[l.kind] ?? '#888', size: 0.5 + l.weight * 1.5,
  });
}

/**
 * Starting points: topics spread over a disc (a sunflower pattern, so none is far from the rest) and their notes start
 * around them, so the layout begins clustered and links between clusters stay short.
 */
export function topicCentres(nodes: readonly GraphNode[]): Map<number, { x: number; y: number }> {
  const ids = [...new Set(nodes.map((n) => (n.kind === 'topic' ? n.refId : n.topicId)).filter((t): t is number => t !== null))].sort((a, b) => a - b);
  const step = 12 * Math.sqrt(nodes.length / Math.max(ids.length, 1));
  const golden = Math.PI * (3 - Math.sqrt(5));
  return new Map(ids.map((id, i) => {
    const radius = step * Math.sqrt(i + 0.5);
    return [id, { x: Math.cos(i * golden) * radius, y: Math.sin(i * golden) * radius }];
  }));
}

export function buildGraph(data: GraphData): NeptuneGraph {
  const graph: NeptuneGraph = new Graph<NodeAttrs, EdgeAttrs>({ type: 'undirected', multi: true, allowSelfLoops: false });
  const centres = topicCentres(data.nodes);
  const spread = 6 * Math.sqrt(data.nodes.length / Math.max(centres.size, 1));
  for (const n of data.nodes) {
    const centre = centres.get((n.kind === 'topic' ? n.refId : n.topicId) ?? Number.NaN);
    addNode(graph, n, centre, centre ? spread * Math.sqrt(Math.random()) : undefined);
  }
  for (const l of data.links) addLink(graph, l);
  return graph;
}

/** Nodes and links on the paths that explain retrieval results. */
export function pathHighlights(paths: readonly (readonly GraphLink[])[], resultNodeIds: readonly string[]): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set(resultNodeIds);
  const edges = new Set<string>();
  for (const path of paths) {
    for (const l of path) {
      nodes.add(l.source);
      nodes.add(l.target);
      edges.add(edgeKey(l));
      edges.add(edgeKey({ source: l.target, target: l.source, kind: l.kind }));
    }
  }
  return { nodes, edges };
}

/** Edge kinds present, for the filter checkboxes. */
export function edgeKinds(data: GraphData): string[] {
  return [...new Set(data.links.map((l) => l.kind))].sort();
}
