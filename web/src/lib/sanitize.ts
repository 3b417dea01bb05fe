import DOMPurify from 'dompurify';

/** A search snippet: the server marks hits with <mark>; everything else is shown as text. */
export function sanitizeSnippet(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [] });
}
