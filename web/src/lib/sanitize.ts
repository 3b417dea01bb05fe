/** A piece of a search snippet: text, highlighted or not. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

/**
 * Reads a search snippet (the server escapes the note's text and wraps hits in <mark>) into text parts, keeping only the
 * highlights. The HTML is parsed into an inert document (no scripts run, nothing loads) and only text is taken out of it,
 * so whatever the snippet holds renders as text. (No DOMPurify here: it stays out of the first load.)
 */
export function snippetParts(html: string): SnippetPart[] {
  const body = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
  const parts: SnippetPart[] = [];
  for (const node of Array.from(body.childNodes)) {
    const text = node.textContent ?? '';
    if (text === '') continue;
    const mark = node.nodeName === 'MARK';
    const last = parts[parts.length - 1];
    if (last?.mark === mark) last.text += text;
    else parts.push({ text, mark });
  }
  return parts;
}
