// Shapes of the Neptune HTTP API (see README.md "Using it" and /openapi/v1.json).

export interface FolderNode {
  id: number;
  parentId: number | null;
  name: string;
  noteCount: number;
  totalNoteCount: number;
  children: FolderNode[];
}

export interface FolderTree {
  rootNoteCount: number;
  totalNoteCount: number;
  folders: FolderNode[];
}

export interface Folder {
  id: number;
  parentId: number | null;
  name: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface NoteSummary {
  id: number;
  folderId: number | null;
  title: string;
  fileName: string;
  version: number;
  sizeBytes: number;
  sourceId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface Note extends NoteSummary {
  aliases: string[];
  content: string;
}

export interface NotePage {
  items: NoteSummary[];
  nextCursor: string | null;
}

export type NoteSort = 'updated' | 'created' | 'title';

export interface Revision {
  noteId: number;
  version: number;
  title: string;
  sizeBytes: number;
  createdAt: string;
  content: string | null;
}

export interface Link {
  sourceNoteId: number;
  sourceTitle: string;
  kind: string;
  target: string;
  heading: string | null;
  alias: string | null;
  isEmbed: boolean;
  targetNoteId: number | null;
  targetTitle: string | null;
  targetAttachment: string | null;
  dangling: boolean;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface Trash {
  folders: Folder[];
  notes: NoteSummary[];
}

export type SearchMode = 'auto' | 'hybrid' | 'fts' | 'semantic';

export interface SearchWhy {
  ftsRank: number;
  ftsScore: number;
  semanticScore: number | null;
  chunk: string | null;
}

export interface SearchResult {
  id: number;
  title: string;
  folderId: number | null;
  sourceId: string | null;
  tags: string[];
  snippet: string;
  score: number;
  why: SearchWhy;
}

export interface SearchResponse {
  query: string;
  mode: string;
  results: SearchResult[];
}

export interface GraphNode {
  id: string;
  kind: 'note' | 'topic';
  refId: number;
  label: string;
  folderId: number | null;
  topicId: number | null;
  degree: number;
}

export interface GraphLink {
  source: string;
  target: string;
  kind: string;
  weight: number;
  provenance: string;
}

export interface GraphData {
  nodes: GraphNode[];
  links: GraphLink[];
  totalLinks: number;
  truncated: boolean;
}

export interface RetrievedNote {
  id: number;
  title: string;
  score: number;
  seed: boolean;
  reachedFrom: number;
  path: GraphLink[];
}

export interface RetrieveResponse {
  query: string;
  seedMode: string;
  results: RetrievedNote[];
  subgraph: GraphData;
}

export interface StoreCounts {
  notes: number;
  folders: number;
  trashed: number;
  attachments: number;
  links: number;
  danglingLinks: number;
  queuedJobs: number;
}

export interface SystemInfo {
  version: string;
  mode: string;
  roles: string;
  database: string;
  dataDir: string;
  counts: StoreCounts;
}

/** A related note, as the semantic index will answer; fields beyond id and title are optional until that API lands. */
export interface RelatedNote {
  id: number;
  title: string;
  score?: number;
  why?: string;
}

/** Indexing progress; the indexer's route arrives later, so every field is optional. */
export interface IndexStatus {
  total?: number;
  indexed?: number;
  pending?: number;
  running?: number;
  failed?: number;
  failures?: { noteId: number; title?: string; error: string }[];
}
