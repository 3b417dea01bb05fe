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

/** The passage of a note that matched a query's meaning; `text` is null when the note changed since it was indexed. */
export interface MatchedChunk {
  ordinal: number;
  text: string | null;
}

/** Why a note was found; each part is null where that ranking did not place the note among its candidates. */
export interface SearchWhy {
  ftsRank: number | null;
  ftsScore: number | null;
  semanticScore: number | null;
  chunk: MatchedChunk | null;
}

export interface SearchResult {
  id: number;
  title: string;
  folderId: number | null;
  sourceId: string | null;
  tags: string[];
  updatedAt: string;
  /** Plain text except for the server's <mark> highlights. */
  snippet: string;
  score: number;
  why: SearchWhy;
}

export interface SearchResponse {
  query: string;
  /** The mode that ran: `auto` becomes hybrid or fts, and hybrid falls back to fts when there are no vectors. */
  mode: Exclude<SearchMode, 'auto'>;
  /** Why the mode that ran is not the one asked for, or why results are missing; null when all is well. */
  degraded: string | null;
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

/** A note near another in meaning; `linked`: an explicit link joins them already. */
export interface RelatedNote {
  id: number;
  title: string;
  folderId: number | null;
  sourceId: string | null;
  tags: string[];
  score: number;
  linked: boolean;
}

export interface RelatedResponse {
  noteId: number;
  results: RelatedNote[];
}

export interface IndexFailure {
  noteId: number;
  title: string;
  error: string;
  failedAt: string;
}

/** Indexing for the active model: `pending` is every live note not yet indexed with it and not failed. */
export interface IndexStatus {
  notes: number;
  indexed: number;
  pending: number;
  failed: number;
  model: string | null;
  modelId: number | null;
  queueDepth: number;
  deadJobs: number;
  /** "4453/4453 indexed, 0 failed" */
  summary: string;
  failures: IndexFailure[];
}

export interface IndexQueued {
  queued: number;
}

export interface TopicCount {
  id: number;
  label: string;
  count: number;
}
