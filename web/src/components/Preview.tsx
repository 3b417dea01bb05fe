import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { renderMarkdown } from '../lib/markdown';

/** The sanitised rendering of the editor's text; [[wikilinks]] open notes, dangling ones are marked. */
export function Preview({ content, resolved, onOpenLink }: {
  content: string;
  /** Lower-cased link targets known to exist; others show as dangling. Undefined while unknown: nothing is marked yet. */
  resolved: ReadonlySet<string> | undefined;
  onOpenLink: (target: string) => void;
}) {
  const [shown, setShown] = useState(content);
  useEffect(() => {
    const t = setTimeout(() => { setShown(content); }, 120);
    return () => { clearTimeout(t); };
  }, [content]);
  const html = useMemo(() => renderMarkdown(shown), [shown]);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelectorAll<HTMLAnchorElement>('a.wikilink').forEach((a) => {
      const target = (a.dataset.target ?? '').toLowerCase();
      const exists = resolved === undefined || target === '' || resolved.has(target);
      a.classList.toggle('dangling', !exists);
      a.title = exists ? `Open ${a.dataset.target ?? ''}` : `${a.dataset.target ?? ''} does not exist yet: click to create it`;
    });
  }, [html, resolved]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest('a');
    if (!a) return;
    if (a.classList.contains('wikilink')) {
      e.preventDefault();
      onOpenLink(a.dataset.target ?? '');
    }
  };

  return (
    // Links inside are real anchors, so keyboard users reach them with Tab and open them with Enter.
    <div ref={ref} className="preview markdown" aria-label="Preview" role="region" onClick={onClick}
      dangerouslySetInnerHTML={{ __html: html }} data-testid="preview" />
  );
}
