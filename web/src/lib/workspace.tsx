// What the sidebar selects and the note list shows: a folder (or all notes, or the top level), a tag, a topic.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

/** null: all notes; 0: notes at the top level; otherwise a folder id (the API's folderId). */
export type FolderSelection = number | null;

/** A topic the indexer found; the note list asks the server for its notes. */
export interface TopicFilter {
  id: number;
  label: string;
}

interface Workspace {
  folder: FolderSelection;
  tag: string | null;
  topic: TopicFilter | null;
  selectFolder: (folder: FolderSelection) => void;
  selectTag: (tag: string | null) => void;
  selectTopic: (topic: TopicFilter | null) => void;
}

const WorkspaceContext = createContext<Workspace | null>(null);

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const [folder, setFolder] = useState<FolderSelection>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [topic, setTopic] = useState<TopicFilter | null>(null);
  const value = useMemo<Workspace>(() => ({
    folder, tag, topic,
    selectFolder: (f) => { setFolder(f); setTag(null); setTopic(null); },
    selectTag: (t) => { setTag(t); setTopic(null); },
    selectTopic: (t) => { setTopic(t); setTag(null); },
  }), [folder, tag, topic]);
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside WorkspaceProvider');
  return workspace;
}
