import { useEffect, useRef } from 'react';
import { EditorView, keymap, drawSelection, highlightActiveLine, placeholder } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { yamlFrontmatter } from '@codemirror/lang-yaml';
import { languages } from '@codemirror/language-data';
import { syntaxHighlighting, defaultHighlightStyle, HighlightStyle } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { tags as t } from '@lezer/highlight';
import { completeWikilink, rankTitles, wikilinkAt, wikilinkContext } from '../lib/wikilinks';

export interface EditorProps {
  initial: string;
  onChange: (content: string) => void;
  /** Ctrl/Cmd+click on a [[wikilink]]. */
  onOpenLink: (target: string) => void;
  onSave: () => void;
  loadTitles: () => Promise<string[]>;
  label: string;
}

const headings = HighlightStyle.define([
  { tag: t.heading1, fontSize: '1.5em', fontWeight: '700' },
  { tag: t.heading2, fontSize: '1.3em', fontWeight: '700' },
  { tag: t.heading3, fontSize: '1.15em', fontWeight: '600' },
  { tag: [t.heading4, t.heading5, t.heading6], fontWeight: '600' },
  { tag: t.link, color: 'var(--accent)' },
  { tag: t.url, color: 'var(--muted)' },
  { tag: t.monospace, fontFamily: 'var(--mono)' },
  { tag: t.meta, color: 'var(--muted)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', color: 'var(--text)', backgroundColor: 'var(--bg)' },
  '.cm-content': { fontFamily: 'var(--font)', fontSize: '15px', lineHeight: '1.65', padding: '16px 20px', caretColor: 'var(--accent)' },
  '.cm-scroller': { overflow: 'auto' },
  '&.cm-focused': { outline: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--hover)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--on-accent)' },
});

function wikilinkSource(loadTitles: () => Promise<string[]>) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const open = wikilinkContext(line.text, ctx.pos - line.from);
    if (!open) return null;
    const titles = await loadTitles();
    return {
      from: line.from + open.from,
      filter: false,
      options: rankTitles(open.query, titles, 30).map((title) => ({
        label: title,
        type: 'text',
        apply: (view: EditorView, _c: unknown, from: number, to: number) => {
          const rest = view.state.sliceDoc(to, view.state.doc.lineAt(to).to);
          const { insert, consume } = completeWikilink(title, rest);
          const end = from + insert.length + (consume > 0 || !insert.endsWith(']]') ? consume + 2 : 0);
          view.dispatch({ changes: { from, to: to + consume, insert }, selection: { anchor: end } });
        },
      })),
    };
  };
}

/** CodeMirror 6 Markdown editor; the document is owned here, so the parent remounts it (key) to load other text. */
export function Editor({ initial, onChange, onOpenLink, onSave, loadTitles, label }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onChange, onOpenLink, onSave, loadTitles });
  useEffect(() => { callbacks.current = { onChange, onOpenLink, onSave, loadTitles }; });

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          history(),
          drawSelection(),
          highlightActiveLine(),
          closeBrackets(),
          EditorView.lineWrapping,
          // Front matter (tags, aliases) reads as YAML, not as a setext heading.
          yamlFrontmatter({ content: markdown({ base: markdownLanguage, codeLanguages: languages }) }),
          syntaxHighlighting(headings),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          autocompletion({ override: [wikilinkSource(() => callbacks.current.loadTitles())], activateOnTyping: true }),
          placeholder('Write in Markdown. [[ links to another note.'),
          keymap.of([
            { key: 'Mod-s', preventDefault: true, run: () => { callbacks.current.onSave(); return true; } },
            ...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab,
          ]),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => { if (u.docChanged) callbacks.current.onChange(u.state.doc.toString()); }),
          EditorView.domEventHandlers({
            mousedown: (event, v) => {
              if (!(event.ctrlKey || event.metaKey)) return false;
              const pos = v.posAtCoords({ x: event.clientX, y: event.clientY });
              if (pos === null) return false;
              const link = wikilinkAt(v.state.doc.toString(), pos);
              if (!link) return false;
              event.preventDefault();
              callbacks.current.onOpenLink(link.target);
              return true;
            },
          }),
          theme,
        ],
      }),
    });
    return () => { view.destroy(); };
    // The document is loaded once per mount; see the component's comment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={host} className="editor" data-testid="editor" />;
}
