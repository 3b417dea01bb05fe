import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAction } from '../lib/actions';
import { formatExact, formatWhen } from '../lib/format';
import { ConfirmDialog } from './Dialog';

export function TrashView() {
  const trash = useQuery({ queryKey: ['trash'], queryFn: api.trash });
  const run = useAction();
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const folders = trash.data?.folders ?? [];
  const notes = trash.data?.notes ?? [];
  const empty = folders.length === 0 && notes.length === 0;

  return (
    <section className="trash" aria-labelledby="trash-h">
      <div className="view-head">
        <h1 id="trash-h">Trash</h1>
        <button type="button" className="danger" disabled={empty} onClick={() => { setConfirmEmpty(true); }}>Empty trash</button>
      </div>
      {trash.isLoading && <p className="muted">Loading…</p>}
      {!trash.isLoading && empty && <p className="muted">The trash is empty. Deleted notes and folders wait here until you purge them.</p>}
      {folders.length > 0 && (
        <>
          <h2>Folders</h2>
          <ul className="trash-list">
            {folders.map((f) => (
              <li key={`f${f.id}`}>
                <span className="trash-name">{f.name}/</span>
                {f.deletedAt && <time dateTime={f.deletedAt} title={formatExact(f.deletedAt)}>deleted {formatWhen(f.deletedAt)}</time>}
                <button type="button" onClick={() => { void run(() => api.restoreFolder(f.id), `Restored “${f.name}”`); }}>Restore</button>
                <button type="button" className="danger" onClick={() => { void run(() => api.purgeFolder(f.id), `Deleted “${f.name}” for good`); }}>Delete forever</button>
              </li>
            ))}
          </ul>
        </>
      )}
      {notes.length > 0 && (
        <>
          <h2>Notes</h2>
          <ul className="trash-list">
            {notes.map((n) => (
              <li key={`n${n.id}`}>
                <span className="trash-name">{n.title}</span>
                {n.deletedAt && <time dateTime={n.deletedAt} title={formatExact(n.deletedAt)}>deleted {formatWhen(n.deletedAt)}</time>}
                <button type="button" onClick={() => { void run(() => api.restoreNote(n.id), `Restored “${n.title}”`); }}>Restore</button>
                <button type="button" className="danger" onClick={() => { void run(() => api.purgeNote(n.id), `Deleted “${n.title}” for good`); }}>Delete forever</button>
              </li>
            ))}
          </ul>
        </>
      )}
      {confirmEmpty && (
        <ConfirmDialog title="Empty the trash?" confirmLabel="Delete everything in the trash"
          message={`${folders.length} folders and ${notes.length} notes will be deleted for good, with their history. This cannot be undone.`}
          onClose={() => { setConfirmEmpty(false); }}
          onConfirm={() => { setConfirmEmpty(false); void run(() => api.purgeTrash(), 'Trash emptied'); }} />
      )}
    </section>
  );
}
