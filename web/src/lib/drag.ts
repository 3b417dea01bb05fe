// Drag and drop between the note list and the folder tree carries ids in custom MIME types.
export const dragKinds = { note: 'application/x-neptune-note', folder: 'application/x-neptune-folder' } as const;

export function readDrag(data: DataTransfer): { kind: 'note' | 'folder'; id: number } | null {
  const note = data.getData(dragKinds.note);
  if (note) return { kind: 'note', id: Number(note) };
  const folder = data.getData(dragKinds.folder);
  if (folder) return { kind: 'folder', id: Number(folder) };
  return null;
}
