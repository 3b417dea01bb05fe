import { useId, useState } from 'react';
import type { FolderTree } from '../api/types';
import { folderPaths, subtreeIds } from '../lib/folders';
import { Dialog } from './Dialog';

/** Keyboard alternative to drag and drop: pick the destination folder. */
export function MoveDialog({ title, tree, excludeSubtreeOf, current, onMove, onClose }: {
  title: string; tree: FolderTree | undefined; excludeSubtreeOf?: number; current?: number | null;
  onMove: (folderId: number | null) => void; onClose: () => void;
}) {
  const excluded = excludeSubtreeOf === undefined ? new Set<number>() : subtreeIds(tree, excludeSubtreeOf);
  const options = folderPaths(tree).filter((f) => !excluded.has(f.id));
  const [target, setTarget] = useState(current == null ? '' : String(current));
  const id = useId();
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); onMove(target === '' ? null : Number(target)); }}>
        <label htmlFor={id}>Destination folder</label>
        <select id={id} autoFocus value={target} onChange={(e) => { setTarget(e.target.value); }}>
          <option value="">(top level)</option>
          {options.map((f) => <option key={f.id} value={f.id}>{f.path}</option>)}
        </select>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary">Move</button>
        </div>
      </form>
    </Dialog>
  );
}
