// The one module that talks HTTP to Neptune: problem+json answers become typed ApiErrors.
import type {
  Folder, FolderTree, GraphData, IndexQueued, IndexStatus, Link, Note, NotePage, NoteSort, RelatedResponse, RetrieveResponse,
  Revision, SearchMode, SearchResponse, SystemInfo, TagCount, TopicCount, Trash,
} from './types';
import { authRequired, token } from './auth';

/** RFC 9457 problem details as Neptune sends them; `field` names the input at fault. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  field?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly field: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.field = problem.field;
  }

  /** 401: no token, or one the server does not accept (token mode). */
  get isUnauthorized(): boolean { return this.status === 401; }
  /** 412: someone else saved the note since we read it. */
  get isStale(): boolean { return this.status === 412; }
  get isNotFound(): boolean { return this.status === 404; }
}

/** The server could not be reached at all (stopped, offline). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Neptune is not answering. Is `./neptune serve` still running?', { cause });
    this.name = 'NetworkError';
  }
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads any error body into a Problem; a non-problem body still yields a readable detail. */
export function toProblem(status: number, statusText: string, body: unknown): Problem {
  if (isRecord(body)) {
    const title = typeof body.title === 'string' ? body.title : statusText;
    const detail = typeof body.detail === 'string' ? body.detail : title || `HTTP ${status}`;
    const field = typeof body.field === 'string' ? body.field : undefined;
    return field === undefined ? { status, title, detail } : { status, title, detail, field };
  }
  const text = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 300) : '';
  return { status, title: statusText || `HTTP ${status}`, detail: text || `The server answered ${status} ${statusText}`.trim() };
}

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
  const bearer = token();
  if (bearer && headers.Authorization === undefined) headers.Authorization = `Bearer ${bearer}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  // index.html preloads the first screen's answers without a token; a preload is reused by URL and credentials mode,
  // whatever the headers, so a different mode keeps a tokened request from getting the preload's 401.
  if (headers.Authorization !== undefined) init.credentials = 'omit';
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e);
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try { body = JSON.parse(text) as unknown; } catch { /* not JSON: keep the text */ }
    const error = new ApiError(toProblem(response.status, response.statusText, body));
    if (error.isUnauthorized) authRequired(error.detail);
    throw error;
  }
  return response;
}

async function json<T>(path: string, options?: RequestOptions): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function versioned<T>(path: string, options?: RequestOptions): Promise<Versioned<T>> {
  const response = await send(path, options);
  return { value: (await response.json()) as T, etag: response.headers.get('ETag') ?? '' };
}

export const api = {
  folderTree: () => json<FolderTree>('/api/folders/tree'),
  createFolder: (name: string, parentId: number | null) => json<Folder>('/api/folders', { method: 'POST', body: { name, parentId } }),
  renameFolder: (id: number, name: string) => json<Folder>(`/api/folders/${id}`, { method: 'PATCH', body: { name } }),
  moveFolder: (id: number, parentId: number | null) => json<Folder>(`/api/folders/${id}/move`, { method: 'POST', body: { parentId } }),
  deleteFolder: (id: number) => json<undefined>(`/api/folders/${id}`, { method: 'DELETE' }),
  restoreFolder: (id: number) => json<Folder>(`/api/folders/${id}/restore`, { method: 'POST' }),

  listNotes: (q: { folderId?: number | null; tag?: string | null; topicId?: number | null; sort?: NoteSort; cursor?: string | null; limit?: number }) =>
    json<NotePage>(url('/api/notes', q)),
  getNote: (id: number, signal?: AbortSignal) => versioned<Note>(`/api/notes/${id}`, signal ? { signal } : {}),
  createNote: (content: string, folderId: number | null, title?: string) =>
    versioned<Note>('/api/notes', { method: 'POST', body: title === undefined ? { content, folderId } : { content, folderId, title } }),
  /** Saves only if the note is still at `etag`; a 412 ApiError means someone else saved first. */
  updateNote: (id: number, content: string, etag: string) =>
    versioned<Note>(`/api/notes/${id}`, { method: 'PUT', body: { content }, headers: { 'If-Match': etag } }),
  moveNote: (id: number, folderId: number | null) => json<Note>(`/api/notes/${id}/move`, { method: 'POST', body: { folderId } }),
  deleteNote: (id: number) => json<undefined>(`/api/notes/${id}`, { method: 'DELETE' }),
  restoreNote: (id: number) => json<Note>(`/api/notes/${id}/restore`, { method: 'POST' }),

  revisions: (id: number) => json<Revision[]>(`/api/notes/${id}/revisions`),
  revision: (id: number, version: number) => json<Revision>(`/api/notes/${id}/revisions/${version}`),
  restoreRevision: (id: number, version: number, etag: string) =>
    versioned<Note>(`/api/notes/${id}/revisions/${version}/restore`, { method: 'POST', headers: { 'If-Match': etag } }),

  backlinks: (id: number) => json<Link[]>(`/api/notes/${id}/backlinks`),
  links: (id: number) => json<Link[]>(`/api/notes/${id}/links`),
  tags: () => json<TagCount[]>('/api/tags'),
  related: (id: number, limit = 8) => json<RelatedResponse>(url(`/api/notes/${id}/related`, { limit })),
  topics: (limit = 60) => json<TopicCount[]>(url('/api/topics', { limit })),

  trash: () => json<Trash>('/api/trash'),
  purgeTrash: () => json<{ purged: number }>('/api/trash', { method: 'DELETE' }),
  purgeNote: (id: number) => json<undefined>(`/api/trash/notes/${id}`, { method: 'DELETE' }),
  purgeFolder: (id: number) => json<{ purged: number }>(`/api/trash/folders/${id}`, { method: 'DELETE' }),

  search: (q: string, mode: SearchMode, signal?: AbortSignal) =>
    json<SearchResponse>(url('/api/search', { q, mode, limit: 20 }), signal ? { signal } : {}),

  graph: (q: { limit?: number; minWeight?: number; folderId?: number | null }) => json<GraphData>(url('/api/graph', q)),
  neighborhood: (id: number, depth: number) => json<GraphData>(url(`/api/graph/notes/${id}/neighborhood`, { depth })),
  retrieve: (query: string, k = 10) => json<RetrieveResponse>('/api/graph/retrieve', { method: 'POST', body: { query, k } }),

  systemInfo: () => json<SystemInfo>('/api/system/info'),
  /** Asks with `candidate` instead of the stored token: rejects with a 401 ApiError when the server refuses it. */
  checkToken: (candidate: string) => json<SystemInfo>('/api/system/info', { headers: { Authorization: `Bearer ${candidate}` } }),
  indexStatus: (failures = 20) => json<IndexStatus>(url('/api/index/status', { failures })),
  retryFailed: () => json<IndexQueued>('/api/index/retry', { method: 'POST' }),
};

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof Error) return e.message;
  return String(e);
}
