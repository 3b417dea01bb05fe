import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { Autosaver, planConflict, type SaveState } from './autosave';

const stale = () => new ApiError({ status: 412, title: 'Stale version', detail: 'The note changed.' });

function setup(save: (content: string, etag: string) => Promise<{ content: string; etag: string }>) {
  const states: SaveState[] = [];
  const conflicts: string[] = [];
  const errors: unknown[] = [];
  const saver = new Autosaver({ content: 'v1', etag: '"1"' }, {
    delayMs: 500, save, onState: (s) => states.push(s), onConflict: (m) => conflicts.push(m), onError: (e) => errors.push(e),
  });
  return { saver, states, conflicts, errors };
}

describe('Autosaver', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('saves after a pause, sending the ETag it read, then the new one', async () => {
    const save = vi.fn((content: string, etag: string) => Promise.resolve({ content, etag: etag === '"1"' ? '"2"' : '"3"' }));
    const { saver, states } = setup(save);
    saver.edit('v2');
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenCalledWith('v2', '"1"');
    saver.edit('v3');
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenLastCalledWith('v3', '"2"');
    expect(saver.etag).toBe('"3"');
    expect(states.at(-1)).toBe('saved');
  });

  it('debounces bursts of typing into one save', async () => {
    const save = vi.fn((content: string) => Promise.resolve({ content, etag: '"2"' }));
    const { saver } = setup(save);
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(200);
    saver.edit('ab');
    await vi.advanceTimersByTimeAsync(200);
    saver.edit('abc');
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith('abc', '"1"');
  });

  it('does not save when the text is back to what is saved', async () => {
    const save = vi.fn((content: string) => Promise.resolve({ content, etag: '"2"' }));
    const { saver } = setup(save);
    saver.edit('changed');
    saver.edit('v1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).not.toHaveBeenCalled();
    expect(saver.status).toBe('saved');
  });

  it('stops on 412, reports the unsaved text, and does not retry over the other save', async () => {
    const save = vi.fn(() => Promise.reject(stale()));
    const { saver, conflicts, states } = setup(save);
    saver.edit('mine');
    await vi.advanceTimersByTimeAsync(500);
    expect(conflicts).toEqual(['mine']);
    expect(states.at(-1)).toBe('conflict');
    saver.edit('mine, more');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(saver.content).toBe('mine, more');
  });

  it('resumes from the version the conflict was settled on', async () => {
    let fail = true;
    const save = vi.fn((content: string, etag: string) => (fail ? Promise.reject(stale()) : Promise.resolve({ content, etag: `${etag}+` })));
    const { saver } = setup(save);
    saver.edit('mine');
    await vi.advanceTimersByTimeAsync(500);
    fail = false;
    saver.resolve({ content: 'theirs', etag: '"7"' }, 'theirs');
    expect(saver.status).toBe('saved');
    saver.edit('theirs + mine');
    await vi.advanceTimersByTimeAsync(500);
    expect(save).toHaveBeenLastCalledWith('theirs + mine', '"7"');
  });

  it('reports other failures as errors and keeps the text to retry', async () => {
    const save = vi.fn(() => Promise.reject(new ApiError({ status: 413, title: 'Too large', detail: 'Too big.' })));
    const { saver, errors } = setup(save);
    saver.edit('huge');
    await vi.advanceTimersByTimeAsync(500);
    expect(saver.status).toBe('error');
    expect(errors).toHaveLength(1);
    expect(saver.content).toBe('huge');
  });

  it('flush saves immediately and waits for edits made while saving', async () => {
    let release: () => void = () => undefined;
    const save = vi.fn((content: string) => new Promise<{ content: string; etag: string }>((resolve) => {
      release = () => { resolve({ content, etag: `"${content}"` }); };
    }));
    const { saver } = setup(save);
    saver.edit('first');
    const flushed = saver.flush();
    saver.edit('second');
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await flushed;
    expect(save.mock.calls.map((c) => c[0])).toEqual(['first', 'second']);
    expect(saver.status).toBe('saved');
  });
});

describe('planConflict', () => {
  it('keep mine saves over theirs, which stays in history', () => {
    expect(planConflict('keep-mine', 'mine', 'theirs', 'T')).toEqual({ saveOverTheirs: 'mine', createCopy: null, editorContent: 'mine' });
  });

  it('take theirs discards nothing on the server and shows theirs', () => {
    expect(planConflict('take-theirs', 'mine', 'theirs', 'T')).toEqual({ saveOverTheirs: null, createCopy: null, editorContent: 'theirs' });
  });

  it('copy mine keeps my text in a new note with its own title', () => {
    const plan = planConflict('copy-mine', '# T\n\nmine', 'theirs', 'T');
    expect(plan.saveOverTheirs).toBeNull();
    expect(plan.editorContent).toBe('theirs');
    expect(plan.createCopy).toEqual({ title: 'T (my copy)', content: '# T (my copy)\n\nmine' });
  });
});
