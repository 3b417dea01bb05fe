import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Versioned } from '../api/client';
import type { Note } from '../api/types';
import { contentKeys, useAction } from '../lib/actions';
import { Autosaver, planConflict, type ConflictChoice, type SaveState } from '../lib/autosave';
import { setLastNote } from '../lib/lastNote';
import { navigate } from '../lib/router';
import { useNoteTitles } from '../lib/titles';
import { useToast } from '../lib/toast';
import { ConflictDialog } from './ConflictDialog';
import { Editor } from './Editor';
import { HistoryPanel } from './HistoryPanel';
import { LinksPanel } from './LinksPanel';
import { MoveDialog } from './MoveDialog';
import { Preview } from './Preview';

type View = 'edit' | 'split' | 'preview';
type Panel = 'links' | 'history' | null;

const viewLabels: Record<View, string> = { edit: 'Edit', split: 'Split', preview: 'Preview' };

const saveLabels: Record<SaveState, string> = {
  saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', conflict: 'Conflict: choose a version', error: 'Not saved',
};

export function NoteEditor({ initial }: { initial: Versioned<Note> }) {
  const id = initial.value.id;
  const [meta, setMeta] = useState<Note>(initial.value);
  const [content, setContent] = useState(initial.value.content);
  const [editorKey, setEditorKey] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [conflict, setConflict] = useState<{ mine: string; theirs: Versioned<Note> } | null>(null);
  const [resolving, setResolving] = useState(false);
  const [view, setView] = useState<View>(() => (localStorage.getItem('neptune.view') as View | null) ?? 'split');
  const [panel, setPanel] = useState<Panel>(() => (window.innerWidth >= 1200 ? 'links' : null));
  const [moving, setMoving] = useState(false);
  const queries = useQueryClient();
  const toast = useToast();
  const run = useAction();
  const titles = useNoteTitles();

  const refresh = useCallback(() => {
    for (const key of [...contentKeys, 'links', 'revisions']) void queries.invalidateQueries({ queryKey: [key] });
  }, [queries]);

  const saver = useMemo(() => {
    const s: Autosaver = new Autosaver({ content: initial.value.content, etag: initial.etag }, {
      delayMs: 800,
      save: async (text, etag) => {
        const saved = await api.updateNote(id, text, etag);
        if (s.attached) setMeta(saved.value);
        refresh();
        return { content: saved.value.content, etag: saved.etag };
      },
      onState: setSaveState,
      onConflict: (mine) => {
        void api.getNote(id).then((theirs) => {
          if (s.attached) { setConflict({ mine, theirs }); return; }
          // The user already left this note: keep their text as a copy rather than drop it.
          const plan = planConflict('copy-mine', mine, theirs.value.content, theirs.value.title);
          if (plan.createCopy) {
            void run(() => api.createNote(plan.createCopy?.content ?? mine, theirs.value.folderId),
              `“${theirs.value.title}” changed elsewhere; your edit was saved as a copy.`);
          }
        }, toast.error);
      },
      onError: toast.error,
    });
    return s;
  }, [initial, id, refresh, run, toast]);

  useEffect(() => { setLastNote({ id, title: meta.title }); }, [id, meta.title]);

  useEffect(() => {
    saver.attach();
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (saver.status !== 'saved') { void saver.flush(); e.preventDefault(); }
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      void saver.flush();
      saver.dispose();
    };
  }, [saver]);

  const onChange = useCallback((text: string) => { setContent(text); saver.edit(text); }, [saver]);

  const load = useCallback((note: Versioned<Note>) => {
    saver.resolve({ content: note.value.content, etag: note.etag }, note.value.content);
    setMeta(note.value);
    setContent(note.value.content);
    setEditorKey((k) => k + 1);
  }, [saver]);

  const choose = async (choice: ConflictChoice) => {
    if (!conflict) return;
    const theirs = conflict.theirs;
    const plan = planConflict(choice, saver.content, theirs.value.content, theirs.value.title);
    setResolving(true);
    try {
      if (plan.saveOverTheirs !== null) {
        const saved = await api.updateNote(id, plan.saveOverTheirs, theirs.etag);
        saver.resolve({ content: plan.saveOverTheirs, etag: saved.etag }, saver.content);
        setMeta(saved.value);
        toast.show('info', `Saved your version as v${saved.value.version}; theirs is v${theirs.value.version} in History.`);
      } else {
        if (plan.createCopy) {
          await api.createNote(plan.createCopy.content, theirs.value.folderId);
          toast.show('info', `Your text is saved as “${plan.createCopy.title}”.`);
        }
        load(theirs);
      }
      setConflict(null);
      refresh();
    } catch (e) {
      // Yet another save landed meanwhile: compare against that one.
      if (e instanceof ApiError && e.isStale) setConflict({ mine: saver.content, theirs: await api.getNote(id) });
      else toast.error(e);
    } finally {
      setResolving(false);
    }
  };

  const restore = async (version: number) => {
    await saver.flush();
    if (saver.status === 'conflict') return;
    const restored = await run(() => api.restoreRevision(id, version, saver.etag), `Restored v${version} (the text before it is kept in History)`);
    if (restored) load(restored);
  };

  const openLink = useCallback(async (target: string) => {
    if (!target) return;
    const wanted = target.toLowerCase();
    try {
      await saver.flush();
      const links = await api.links(id);
      const linked = links.find((l) => l.target.toLowerCase() === wanted && l.targetNoteId !== null);
      if (linked?.targetNoteId != null) { navigate({ name: 'note', id: linked.targetNoteId }); return; }
      const byTitle = (await titles.load()).find((r) => r.title.toLowerCase() === wanted);
      if (byTitle) { navigate({ name: 'note', id: byTitle.id }); return; }
      const created = await run(() => api.createNote(`# ${target}\n\n`, meta.folderId), `Created “${target}”`);
      if (created) navigate({ name: 'note', id: created.value.id });
    } catch (e) {
      toast.error(e);
    }
  }, [id, meta.folderId, run, saver, titles, toast]);

  const links = useQuery({ queryKey: ['links', id], queryFn: () => api.links(id) });
  // Until the note's links have loaded nothing is marked dangling, so existing notes never flash as missing.
  const resolved = useMemo(() => {
    if (links.data === undefined) return undefined;
    const set = new Set<string>();
    for (const r of titles.refs ?? []) set.add(r.title.toLowerCase());
    for (const l of links.data) if (!l.dangling) set.add(l.target.toLowerCase());
    return set;
  }, [titles.refs, links.data]);

  const loadTitles = useCallback(async () => (await titles.load()).filter((r) => r.id !== id).map((r) => r.title), [titles, id]);
  const changeView = (v: View) => { setView(v); localStorage.setItem('neptune.view', v); };
  const remove = async () => {
    await saver.flush();
    const done = await run(async () => { await api.deleteNote(id); return true; }, `“${meta.title}” moved to the trash`);
    if (done) navigate({ name: 'home' });
  };
  const tree = useQuery({ queryKey: ['folder-tree'], queryFn: api.folderTree });

  return (
    <div className={`note-pane view-${view}${panel ? ' with-panel' : ''}`}>
      <div className="note-head">
        <h1 className="note-heading" title={meta.title}>{meta.title || 'Untitled'}</h1>
        <span className={`save-state save-${saveState}`} role="status" aria-live="polite" data-testid="save-state">{saveLabels[saveState]}</span>
        {saveState === 'error' && <button type="button" className="link" onClick={() => { void saver.flush(); }}>Retry</button>}
        <div className="segmented" role="group" aria-label="Layout">
          {(['edit', 'split', 'preview'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => { changeView(v); }}>{viewLabels[v]}</button>
          ))}
        </div>
        <div className="toolbar" role="toolbar" aria-label="Note actions">
          <button type="button" onClick={() => { setMoving(true); }}>Move…</button>
          <button type="button" onClick={() => { void remove(); }}>Delete</button>
          <button type="button" aria-pressed={panel === 'links'} onClick={() => { setPanel(panel === 'links' ? null : 'links'); }}>Links</button>
          <button type="button" aria-pressed={panel === 'history'} onClick={() => { setPanel(panel === 'history' ? null : 'history'); }}>History</button>
        </div>
      </div>
      <div className="note-body">
        {view !== 'preview' && (
          <Editor key={editorKey} initial={content} label={`Text of ${meta.title}`} onChange={onChange}
            onOpenLink={(t) => { void openLink(t); }} onSave={() => { void saver.flush(); }} loadTitles={loadTitles} />
        )}
        {view !== 'edit' && <Preview content={content} resolved={resolved} onOpenLink={(t) => { void openLink(t); }} />}
      </div>
      {panel && (
        <aside className="side-panel" aria-label={panel === 'links' ? 'Links, tags and related notes' : 'History'}>
          {panel === 'links'
            ? <LinksPanel noteId={id} tags={meta.tags} />
            : <HistoryPanel noteId={id} version={meta.version} current={content} onRestore={restore} />}
        </aside>
      )}
      {conflict && (
        <ConflictDialog mine={conflict.mine} theirs={conflict.theirs.value.content} theirsVersion={conflict.theirs.value.version}
          busy={resolving} onChoose={(c) => { void choose(c); }} />
      )}
      {moving && (
        <MoveDialog title={`Move “${meta.title}”`} tree={tree.data} current={meta.folderId} onClose={() => { setMoving(false); }}
          onMove={(folderId) => {
            void run(() => api.moveNote(id, folderId), 'Note moved').then((moved) => {
              if (!moved) return;
              setMoving(false);
              // Moving bumps the version: continue from the server's copy with the editor's text.
              void api.getNote(id).then((fresh) => { saver.resolve({ content: saver.savedContent, etag: fresh.etag }, saver.content); setMeta(fresh.value); });
            });
          }} />
      )}
    </div>
  );
}
