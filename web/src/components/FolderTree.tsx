import { useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAction } from '../lib/actions';
import { visibleFolders, type VisibleFolder } from '../lib/folders';
import { useWorkspace } from '../lib/workspace';
import { PromptDialog } from './Dialog';
import { Icon } from './Icon';
import { MoveDialog } from './MoveDialog';
import { dragKinds, readDrag } from '../lib/drag';

type Editing = { kind: 'create'; parentId: number | null } | { kind: 'rename'; id: number; name: string } | { kind: 'move'; id: number; name: string };

export function FolderTree() {
  const tree = useQuery({ queryKey: ['folder-tree'], queryFn: api.folderTree });
  const { folder, selectFolder } = useWorkspace();
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [focusKey, setFocusKey] = useState('root');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [dropKey, setDropKey] = useState<string | null>(null);
  const run = useAction();
  const rows = useMemo(() => visibleFolders(tree.data, expanded), [tree.data, expanded]);
  const refs = useRef(new Map<string, HTMLLIElement>());
  const selected = rows.find((r) => r.id === folder) ?? rows[0];

  const focus = (key: string) => {
    setFocusKey(key);
    refs.current.get(key)?.focus();
  };
  const toggle = (id: number, open: boolean) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (open) next.add(id); else next.delete(id);
      return next;
    });
  };

  const onKeyDown = (e: KeyboardEvent, row: VisibleFolder, index: number) => {
    const go = (i: number) => { const r = rows[i]; if (r) { e.preventDefault(); focus(r.key); } };
    switch (e.key) {
      case 'ArrowDown': go(Math.min(index + 1, rows.length - 1)); break;
      case 'ArrowUp': go(Math.max(index - 1, 0)); break;
      case 'Home': go(0); break;
      case 'End': go(rows.length - 1); break;
      case 'ArrowRight':
        e.preventDefault();
        if (row.hasChildren && !row.expanded && row.id !== null) toggle(row.id, true);
        else if (row.hasChildren) go(index + 1);
        break;
      case 'ArrowLeft':
        e.preventDefault();
        if (row.expanded && row.id !== null) toggle(row.id, false);
        else if (row.parentKey) focus(row.parentKey);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        selectFolder(row.id);
        break;
      case 'F2':
        if (row.id !== null) { e.preventDefault(); setEditing({ kind: 'rename', id: row.id, name: row.name }); }
        break;
      case 'Delete':
        if (row.id !== null) { e.preventDefault(); void remove(row); }
        break;
    }
  };

  const remove = async (row: VisibleFolder) => {
    if (row.id === null) return;
    const id = row.id;
    const ok = await run(async () => { await api.deleteFolder(id); return true; }, `“${row.name}” moved to the trash (restore it from Trash)`);
    if (ok && folder === id) selectFolder(null);
  };

  const onDrop = async (e: DragEvent, target: VisibleFolder) => {
    e.preventDefault();
    setDropKey(null);
    const dragged = readDrag(e.dataTransfer);
    if (!dragged) return;
    if (dragged.kind === 'note') await run(() => api.moveNote(dragged.id, target.id), `Note moved to ${target.name}`);
    else if (dragged.id !== target.id) await run(() => api.moveFolder(dragged.id, target.id), `Folder moved to ${target.name}`);
  };

  return (
    <section className="folders" aria-labelledby="folders-heading">
      <div className="section-head">
        <h2 id="folders-heading">Folders</h2>
        <div className="toolbar" role="toolbar" aria-label="Folder actions">
          <button type="button" className="icon" aria-label="New folder" title="New folder"
            onClick={() => { setEditing({ kind: 'create', parentId: selected?.id ?? null }); }}><Icon name="plus" /></button>
          <button type="button" className="icon" aria-label="Rename folder" title="Rename folder (F2)" disabled={selected?.id == null}
            onClick={() => { if (selected?.id != null) setEditing({ kind: 'rename', id: selected.id, name: selected.name }); }}><Icon name="pencil" /></button>
          <button type="button" className="icon" aria-label="Move folder" title="Move folder" disabled={selected?.id == null}
            onClick={() => { if (selected?.id != null) setEditing({ kind: 'move', id: selected.id, name: selected.name }); }}><Icon name="move" /></button>
          <button type="button" className="icon" aria-label="Delete folder" title="Move folder to the trash (Delete)" disabled={selected?.id == null}
            onClick={() => { if (selected) void remove(selected); }}><Icon name="trash" /></button>
        </div>
      </div>
      <ul className="tree" role="tree" aria-labelledby="folders-heading">
        {rows.map((row, index) => (
          <li
            key={row.key}
            ref={(el) => { if (el) refs.current.set(row.key, el); else refs.current.delete(row.key); }}
            role="treeitem"
            aria-level={row.level}
            aria-expanded={row.hasChildren && row.id !== null ? row.expanded : undefined}
            aria-selected={row.id === folder}
            tabIndex={row.key === focusKey ? 0 : -1}
            className={`tree-row${row.key === dropKey ? ' drop' : ''}`}
            style={{ paddingLeft: `${(row.level - 1) * 14 + 6}px` }}
            draggable={row.id !== null}
            onDragStart={(e) => { if (row.id !== null) { e.dataTransfer.setData(dragKinds.folder, String(row.id)); e.dataTransfer.effectAllowed = 'move'; } }}
            onDragOver={(e) => { if (e.dataTransfer.types.some((t) => t === dragKinds.folder || t === dragKinds.note)) { e.preventDefault(); setDropKey(row.key); } }}
            onDragLeave={() => { setDropKey((k) => (k === row.key ? null : k)); }}
            onDrop={(e) => { void onDrop(e, row); }}
            onClick={() => { setFocusKey(row.key); selectFolder(row.id); }}
            onKeyDown={(e) => { onKeyDown(e, row, index); }}
          >
            {row.hasChildren && row.id !== null ? (
              <span className="twisty" aria-hidden="true" onClick={(e) => { e.stopPropagation(); if (row.id !== null) toggle(row.id, !row.expanded); }}>
                <Icon name={row.expanded ? 'chevronDown' : 'chevronRight'} size={14} />
              </span>
            ) : <span className="twisty" aria-hidden="true" />}
            <span className="tree-name">{row.name}</span>
            <span className="count" aria-label={`${row.count} notes`}>{row.count}</span>
          </li>
        ))}
      </ul>
      {editing?.kind === 'create' && (
        <PromptDialog title="New folder" label="Folder name" initial="" submitLabel="Create" onClose={() => { setEditing(null); }}
          onSubmit={(name) => {
            void run(() => api.createFolder(name, editing.parentId)).then((created) => {
              if (!created) return;
              setEditing(null);
              if (editing.parentId !== null) toggle(editing.parentId, true);
              selectFolder(created.id);
              setFocusKey(`f${created.id}`);
            });
          }} />
      )}
      {editing?.kind === 'rename' && (
        <PromptDialog title="Rename folder" label="New name" initial={editing.name} submitLabel="Rename" onClose={() => { setEditing(null); }}
          onSubmit={(name) => { void run(() => api.renameFolder(editing.id, name)).then((r) => { if (r) setEditing(null); }); }} />
      )}
      {editing?.kind === 'move' && (
        <MoveDialog title={`Move “${editing.name}”`} tree={tree.data} excludeSubtreeOf={editing.id} onClose={() => { setEditing(null); }}
          onMove={(parentId) => { void run(() => api.moveFolder(editing.id, parentId)).then((r) => { if (r) setEditing(null); }); }} />
      )}
    </section>
  );
}
