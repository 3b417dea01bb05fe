// A synthetic knowledge graph for measuring the graph view at scale (the real one is empty until indexing).
import type { GraphData, GraphLink, GraphNode } from '../src/api/types';

/** Deterministic pseudo-random numbers, so every run draws the same graph. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Subjects a personal vault might hold, so the screenshot reads like one.
const subjects = [
  'kubernetes', 'postgres', 'rust', 'typescript', 'networking', 'linux', 'security', 'observability', 'ci pipelines', 'docker',
  'sourdough', 'coffee', 'recipes', 'gardening', 'running', 'cycling', 'climbing', 'travel', 'japan', 'italy',
  'reading list', 'philosophy', 'history', 'economics', 'statistics', 'machine learning', 'linear algebra', 'graph theory', 'writing', 'poetry',
  'meetings', 'hiring', 'roadmap', 'budget', 'taxes', 'health', 'sleep', 'meditation', 'music', 'guitar',
  'photography', 'film', 'woodworking', 'home repair', 'cars', 'parenting', 'birthdays', 'gift ideas', 'podcasts', 'chess',
  'astronomy', 'birds', 'hiking', 'camping', 'languages', 'german', 'spanish', 'design', 'typography', 'startups',
];

export function syntheticGraph(nodeCount: number, topicCount = 60): GraphData {
  const rnd = random(42);
  const notes = nodeCount - topicCount;
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const degree = new Map<string, number>();
  const link = (source: string, target: string, kind: string, weight: number) => {
    links.push({ source, target, kind, weight, provenance: 'synthetic' });
    degree.set(source, (degree.get(source) ?? 0) + 1);
    degree.set(target, (degree.get(target) ?? 0) + 1);
  };
  for (let t = 1; t <= topicCount; t++) nodes.push({ id: `topic:${t}`, kind: 'topic', refId: t, label: subjects[(t - 1) % subjects.length] ?? `Topic ${t}`, folderId: null, topicId: t, degree: 0 });
  const byTopic = new Map<number, number[]>();
  for (let n = 1; n <= notes; n++) {
    const topic = 1 + Math.floor(rnd() * topicCount);
    nodes.push({ id: `note:${n}`, kind: 'note', refId: n, label: `${subjects[(topic - 1) % subjects.length] ?? 'note'} ${n}`, folderId: null, topicId: topic, degree: 0 });
    link(`note:${n}`, `topic:${topic}`, 'membership', 0.3 + rnd() * 0.7);
    // About two links per note to earlier notes: mostly within the same topic (clusters), some across.
    const peers = byTopic.get(topic) ?? [];
    for (let k = 0; k < 2 && n > 1; k++) {
      const across = rnd() < 0.15 || peers.length === 0;
      const other = across ? 1 + Math.floor(rnd() * (n - 1)) : peers[Math.floor(rnd() * peers.length)] ?? 1;
      link(`note:${n}`, `note:${other}`, rnd() < 0.5 ? 'link' : 'semantic', rnd());
    }
    peers.push(n);
    byTopic.set(topic, peers);
  }
  // Related topics, as the indexer scores them.
  for (let t = 2; t <= topicCount; t++) link(`topic:${t}`, `topic:${1 + Math.floor(rnd() * (t - 1))}`, 'relation', rnd());
  for (const node of nodes) node.degree = degree.get(node.id) ?? 0;
  nodes.sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : 1));  // as the server sends them
  return { nodes, links, totalLinks: links.length, truncated: false };
}
