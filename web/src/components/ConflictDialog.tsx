import type { ConflictChoice } from '../lib/autosave';
import { Dialog } from './Dialog';
import { DiffView } from './DiffView';

/** Someone else saved first: show what differs and let the user choose; nothing is overwritten silently. */
export function ConflictDialog({ mine, theirs, theirsVersion, busy, onChoose }: {
  mine: string; theirs: string; theirsVersion: number; busy: boolean; onChoose: (choice: ConflictChoice) => void;
}) {
  return (
    <Dialog title="This note changed elsewhere" className="conflict-dialog" onClose={() => { /* a choice is required */ }}>
      <p>
        Someone (another tab, window or program) saved version {theirsVersion} while you were editing.
        Your changes are not saved yet. Compare and choose:
      </p>
      <DiffView before={theirs} after={mine} beforeLabel={`their version ${theirsVersion}`} afterLabel="your text" />
      <div className="dialog-actions">
        <button type="button" disabled={busy} onClick={() => { onChoose('take-theirs'); }}>Take theirs (discard mine)</button>
        <button type="button" disabled={busy} onClick={() => { onChoose('copy-mine'); }}>Take theirs, save mine as a copy</button>
        <button type="button" className="primary" disabled={busy} onClick={() => { onChoose('keep-mine'); }}>Keep mine (theirs stays in history)</button>
      </div>
    </Dialog>
  );
}
