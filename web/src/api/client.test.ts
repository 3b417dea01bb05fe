import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, NetworkError, errorMessage, toProblem, url } from './client';

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // A fresh Response per call: a body can be read once.
  return vi.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(new Response(status === 204 ? null : text, { status, headers })));
}

afterEach(() => { vi.restoreAllMocks(); });

describe('toProblem', () => {
  it('reads problem+json', () => {
    expect(toProblem(400, 'Bad Request', { title: 'Invalid input', detail: 'Use fts.', status: 400, field: 'mode' }))
      .toEqual({ status: 400, title: 'Invalid input', detail: 'Use fts.', field: 'mode' });
  });

  it('makes a readable detail from a non-problem body', () => {
    expect(toProblem(502, 'Bad Gateway', '<html>proxy down</html>').detail).toBe('<html>proxy down</html>');
    expect(toProblem(500, 'Internal Server Error', '').detail).toBe('The server answered 500 Internal Server Error');
  });
});

describe('api', () => {
  it('turns a problem answer into an ApiError with the server detail', async () => {
    respond(400, { title: 'Invalid input', status: 400, detail: "Unknown search mode 'magic': use fts, semantic, hybrid or auto.", field: 'mode' },
      { 'Content-Type': 'application/problem+json' });
    const error = await api.search('x', 'semantic').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).field).toBe('mode');
    expect(errorMessage(error)).toContain('fts, semantic, hybrid or auto');
  });

  it('sends If-Match on update and flags 412 as stale', async () => {
    const fetch = respond(412, { title: 'Stale version', status: 412, detail: 'Note 1 is at version 3.' });
    const error = await api.updateNote(1, 'text', '"2"').catch((e: unknown) => e);
    expect((error as ApiError).isStale).toBe(true);
    const init = fetch.mock.calls[0]?.[1];
    expect((init?.headers as Record<string, string>)['If-Match']).toBe('"2"');
    expect(init?.method).toBe('PUT');
  });

  it('returns the ETag with the note', async () => {
    respond(200, { id: 1, content: 'x' }, { ETag: '"5"', 'Content-Type': 'application/json' });
    const note = await api.getNote(1);
    expect(note.etag).toBe('"5"');
    expect(note.value.content).toBe('x');
  });

  it('reports an unreachable server as a NetworkError', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(api.tags()).rejects.toBeInstanceOf(NetworkError);
  });

  it('asks for search, related notes, topics and the notes of a topic with the parameter names of the API', async () => {
    const fetch = respond(200, { query: 'x', mode: 'hybrid', degraded: null, results: [] }, { 'Content-Type': 'application/json' });
    await api.search('graph layouts', 'hybrid');
    await api.related(7, 5);
    await api.topics(30);
    await api.listNotes({ topicId: 3, sort: 'title' });
    await api.retryFailed();
    expect(fetch.mock.calls.map((c) => `${c[1]?.method ?? 'GET'} ${c[0] as string}`)).toEqual([
      'GET /api/search?q=graph+layouts&mode=hybrid&limit=20',
      'GET /api/notes/7/related?limit=5',
      'GET /api/topics?limit=30',
      'GET /api/notes?topicId=3&sort=title',
      'POST /api/index/retry',
    ]);
  });

  it('handles 204 No Content', async () => {
    respond(204, '');
    await expect(api.deleteNote(3)).resolves.toBeUndefined();
  });
});

describe('url', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(url('/api/notes', { folderId: null, tag: 'a b', cursor: undefined, limit: 50 })).toBe('/api/notes?tag=a+b&limit=50');
    expect(url('/api/tags')).toBe('/api/tags');
  });
});
