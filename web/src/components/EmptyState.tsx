import { useState } from 'react';
import { api } from '../api/client';
import { useAction } from '../lib/actions';
import { navigate } from '../lib/router';

/** A new install: start writing, or import a Markdown folder or Obsidian vault with the CLI. */
export function EmptyState({ dataDir }: { dataDir: string }) {
  const run = useAction();
  const [copied, setCopied] = useState(false);
  const command = './neptune import ~/Notes';
  const start = async () => {
    const created = await run(() => api.createNote('# Welcome\n\nThis is your first note. Link to another with [[Second note]].\n', null));
    if (created) navigate({ name: 'note', id: created.value.id });
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="empty-state" aria-labelledby="empty-h">
      <h1 id="empty-h">Welcome to Neptune</h1>
      <p>Your knowledge base is empty. Write your first note, or bring in an existing Markdown folder or Obsidian vault.</p>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={() => { void start(); }}>Write the first note</button>
      </div>
      <h2>Import a folder</h2>
      <p>Run this in a terminal where Neptune is installed; notes, folders, tags, links and attachments come along, and importing again updates what changed:</p>
      <div className="command">
        <code>{command}</code>
        <button type="button" onClick={() => { void copy(); }}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      {dataDir && <p className="muted small">Data folder: <code>{dataDir}</code> (pass the same <code>--data</code> to import into it).</p>}
    </section>
  );
}
