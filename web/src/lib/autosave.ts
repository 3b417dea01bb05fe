// Autosave with optimistic concurrency: every save sends the ETag it read; a stale ETag (412) stops autosaving
// and hands both versions to the user. Nothing is written over someone else's save without their say.
import { ApiError } from '../api/client';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface Saved {
  content: string;
  etag: string;
}

export interface AutosaverOptions {
  delayMs: number;
  /** Sends `content` if the note is still at `etag`; rejects with ApiError 412 when it is not. */
  save: (content: string, etag: string) => Promise<Saved>;
  onState: (state: SaveState) => void;
  /** The server has a newer version: `mine` is what the user typed, never sent. */
  onConflict: (mine: string) => void;
  onError: (error: unknown) => void;
  onSaved?: (saved: Saved) => void;
}

export class Autosaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private state: SaveState = 'saved';
  private current: string;
  private saved: Saved;
  private disposed = false;

  /** False once the editor that owns it closed (it may open again: React remounts effects in development). */
  get attached(): boolean { return !this.disposed; }

  constructor(initial: Saved, private readonly options: AutosaverOptions) {
    this.saved = initial;
    this.current = initial.content;
  }

  get etag(): string { return this.saved.etag; }
  get savedContent(): string { return this.saved.content; }
  get content(): string { return this.current; }
  get status(): SaveState { return this.state; }

  /** The user typed: save after a pause (not while a conflict waits for a decision). */
  edit(content: string): void {
    this.current = content;
    if (this.state === 'conflict') return;
    if (content === this.saved.content && this.inFlight === null) {
      this.setState('saved');
      this.clearTimer();
      return;
    }
    this.setState(this.inFlight ? 'saving' : 'dirty');
    this.schedule();
  }

  /** Saves now (blur, leaving the note, Ctrl+S). Resolves when nothing is left to save or a conflict stopped it. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (!this.disposed) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      if (this.state === 'conflict' || this.current === this.saved.content) return;
      this.inFlight = this.run();
      await this.inFlight;
      if (this.state === 'error') return;
    }
  }

  /** The conflict was settled: continue from the server's `saved` version with `content` in the editor. */
  resolve(saved: Saved, content: string): void {
    this.saved = saved;
    this.current = content;
    this.setState(content === saved.content ? 'saved' : 'dirty');
    if (content !== saved.content) this.schedule();
  }

  attach(): void {
    this.disposed = false;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private schedule(): void {
    this.clearTimer();
    this.timer = setTimeout(() => { void this.flush(); }, this.options.delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    const sending = this.current;
    this.setState('saving');
    try {
      const result = await this.options.save(sending, this.saved.etag);
      // What the editor holds is the reference, even if the server normalised what it stored.
      this.saved = { content: sending, etag: result.etag };
      this.options.onSaved?.(this.saved);
      this.setState(this.current === sending ? 'saved' : 'dirty');
      if (this.current !== sending) this.schedule();
    } catch (e) {
      if (e instanceof ApiError && e.isStale) {
        this.setState('conflict');
        this.options.onConflict(this.current);
      } else {
        this.setState('error');
        this.options.onError(e);
      }
    } finally {
      this.inFlight = null;
    }
  }

  private setState(state: SaveState): void {
    if (this.state === state) return;
    this.state = state;
    if (!this.disposed) this.options.onState(state);
  }
}

export type ConflictChoice = 'keep-mine' | 'take-theirs' | 'copy-mine';

export interface ConflictPlan {
  /** Content to save over theirs (keep-mine), using their ETag so it lands as a new revision on top. */
  saveOverTheirs: string | null;
  /** A new note to create with the user's text (copy-mine). */
  createCopy: { title: string; content: string } | null;
  /** What the editor shows afterwards. */
  editorContent: string;
}

/** What each choice does; theirs is never lost (keep-mine saves on top of it, so it stays in the history). */
export function planConflict(choice: ConflictChoice, mine: string, theirs: string, title: string): ConflictPlan {
  switch (choice) {
    case 'keep-mine':
      return { saveOverTheirs: mine, createCopy: null, editorContent: mine };
    case 'take-theirs':
      return { saveOverTheirs: null, createCopy: null, editorContent: theirs };
    case 'copy-mine':
      return { saveOverTheirs: null, createCopy: { title: `${title} (my copy)`, content: retitle(mine, `${title} (my copy)`) }, editorContent: theirs };
  }
}

/** The copy must not take the original's title from its first H1, or two notes would share one title. */
function retitle(content: string, title: string): string {
  return /^# .*/m.test(content) ? content.replace(/^# .*/m, `# ${title}`) : content;
}
