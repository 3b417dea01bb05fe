import { FolderTree } from './FolderTree';
import { NoteList } from './NoteList';
import { TagsList } from './TagsList';
import { TopicsList } from './TopicsList';

export function Sidebar() {
  return (
    <aside className="sidebar" aria-label="Folders and notes">
      <div className="sidebar-top">
        <FolderTree />
        <TagsList />
        <TopicsList />
      </div>
      <NoteList />
    </aside>
  );
}
