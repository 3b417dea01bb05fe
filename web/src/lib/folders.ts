import type { FolderNode, FolderTree } from '../api/types';

export interface FolderPath {
  id: number;
  path: string;
  depth: number;
}

/** Every folder with its full path ("Projects / Neptune"), in tree order. */
export function folderPaths(tree: FolderTree | undefined): FolderPath[] {
  const out: FolderPath[] = [];
  const walk = (nodes: FolderNode[], prefix: string, depth: number) => {
    for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
      const path = prefix ? `${prefix} / ${n.name}` : n.name;
      out.push({ id: n.id, path, depth });
      walk(n.children, path, depth + 1);
    }
  };
  walk(tree?.folders ?? [], '', 0);
  return out;
}

/** The folder and everything under it (a folder cannot move into its own subtree). */
export function subtreeIds(tree: FolderTree | undefined, id: number): Set<number> {
  const ids = new Set<number>();
  const find = (nodes: FolderNode[]): FolderNode | undefined => {
    for (const n of nodes) {
      if (n.id === id) return n;
      const hit = find(n.children);
      if (hit) return hit;
    }
    return undefined;
  };
  const collect = (n: FolderNode) => { ids.add(n.id); n.children.forEach(collect); };
  const root = find(tree?.folders ?? []);
  if (root) collect(root);
  return ids;
}

export interface VisibleFolder {
  key: string;
  /** null: the "All notes" root. */
  id: number | null;
  parentKey: string | null;
  name: string;
  level: number;
  count: number;
  hasChildren: boolean;
  expanded: boolean;
}

/** The rows a tree shows, given which folders are expanded. */
export function visibleFolders(tree: FolderTree | undefined, expanded: ReadonlySet<number>): VisibleFolder[] {
  const rows: VisibleFolder[] = [{
    key: 'root', id: null, parentKey: null, name: 'All notes', level: 1, count: tree?.totalNoteCount ?? 0,
    hasChildren: (tree?.folders.length ?? 0) > 0, expanded: true,
  }];
  const walk = (nodes: FolderNode[], parentKey: string, level: number) => {
    for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
      const open = expanded.has(n.id);
      rows.push({ key: `f${n.id}`, id: n.id, parentKey, name: n.name, level, count: n.totalNoteCount, hasChildren: n.children.length > 0, expanded: open });
      if (open) walk(n.children, `f${n.id}`, level + 1);
    }
  };
  walk(tree?.folders ?? [], 'root', 2);
  return rows;
}
