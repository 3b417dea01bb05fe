// Markdown → safe HTML. markdown-it renders (raw HTML allowed, as Obsidian users expect); DOMPurify then removes
// everything that could run: <script>, on* handlers, javascript: URLs, frames, forms and inline styles.
import markdownit, { type MarkdownIt, type StateInline } from 'markdown-it';
import DOMPurify from 'dompurify';
import { parseWikilink } from './wikilinks';

const imageExtension = /\.(png|jpe?g|gif|webp|avif|bmp)$/i;

function wikilinkRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  let start = state.pos;
  const embed = src.charCodeAt(start) === 0x21; /* ! */
  if (embed) start++;
  if (!src.startsWith('[[', start)) return false;
  const end = src.indexOf(']]', start + 2);
  if (end < 0) return false;
  const inner = src.slice(start + 2, end);
  if (inner.includes('\n') || inner.includes('[')) return false;
  const link = parseWikilink(inner);
  if (link.target === '' && link.heading === null) return false;
  if (!silent) {
    const token = state.push('wikilink', '', 0);
    token.meta = { ...link, embed };
    token.content = inner;
  }
  state.pos = end + 2;
  return true;
}

interface WikilinkMeta { target: string; heading: string | null; alias: string | null; embed: boolean }

function createRenderer(): MarkdownIt {
  const md = markdownit({ html: true, linkify: true, typographer: false, breaks: false });
  md.inline.ruler.before('link', 'wikilink', wikilinkRule);
  md.renderer.rules.wikilink = (tokens, idx) => {
    const meta = tokens[idx]?.meta as unknown as WikilinkMeta;
    const esc = md.utils.escapeHtml;
    if (meta.embed && imageExtension.test(meta.target)) {
      return `<img src="/api/attachments/${encodeURI(meta.target)}" alt="${esc(meta.alias ?? meta.target)}">`;
    }
    const label = meta.alias ?? (meta.heading && meta.target ? `${meta.target} › ${meta.heading}` : meta.target || meta.heading || '');
    return `<a href="#" class="wikilink" data-target="${esc(meta.target)}"${meta.heading ? ` data-heading="${esc(meta.heading)}"` : ''}>${esc(label)}</a>`;
  };
  return md;
}

const md = createRenderer();

const forbiddenTags = ['style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'option', 'link', 'meta', 'base', 'svg', 'math'];

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (/^https?:\/\//i.test(href)) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
}

/** Sanitised HTML for a note's Markdown: safe to assign to innerHTML. */
export function renderMarkdown(markdown: string): string {
  installHooks();
  return DOMPurify.sanitize(md.render(stripFrontMatter(markdown)), {
    FORBID_TAGS: forbiddenTags,
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: true,
    ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|tel):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  });
}

export function stripFrontMatter(markdown: string): string {
  if (!markdown.startsWith('---\n') && !markdown.startsWith('---\r\n')) return markdown;
  const end = markdown.indexOf('\n---', 4);
  if (end < 0) return markdown;
  const after = markdown.indexOf('\n', end + 4);
  return after < 0 ? '' : markdown.slice(after + 1);
}
