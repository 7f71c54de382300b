import GithubSlugger from 'github-slugger';
import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parse as parseYaml } from 'yaml';
import { sectionLabel, type DocumentBlock, type DocumentSection, type ExtractedText } from './extracted.js';

/** Bump when the same Markdown file would extract differently: its passages are rebuilt. */
export const MARKDOWN_EXTRACTOR = 'markdown@1';

interface Metadata {
  title: string | null;
  url: string | null;
}

function frontMatter(yaml: string): Metadata {
  let data: unknown;
  try {
    data = parseYaml(yaml);
  } catch {
    // Front matter that is not valid YAML names nothing; the text is still the document.
    return { title: null, url: null };
  }
  const field = (name: string) => {
    const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const url = field('url');
  return { title: field('title'), url: url !== null && /^https?:\/\//i.test(url) ? url : null };
}

/** A block's words as a reader sees them: inline markup gone, soft line breaks as spaces. */
function inlineText(node: Nodes): string {
  return toString(node, { includeImageAlt: true, includeHtml: false }).replace(/\s+/gu, ' ').trim();
}

/**
 * Markdown parsed as Markdown (mdast, with GitHub's tables and front matter): headings make
 * sections, each paragraph, list item, table row (its cells named by their column's header) and
 * code block is a block of the extracted text, and the front matter gives the title and URL. Raw HTML and thematic breaks are dropped.
 * The first heading, when it comes before any content, is the document's title, not a section.
 */
export function extractMarkdown(markdown: string): ExtractedText {
  const tree: Root = fromMarkdown(markdown, {
    extensions: [frontmatter(['yaml']), gfm()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmFromMarkdown()],
  });
  const slugger = new GithubSlugger();
  const metadata: Metadata = { title: null, url: null };
  const parts: string[] = [];
  const blocks: DocumentBlock[] = [];
  let length = 0;
  let headings: { depth: number; text: string }[] = [];
  let section: DocumentSection | null = null;
  let titleHeading: string | null = null;
  let contentSeen = false;

  const emit = (text: string, kind: DocumentBlock['kind'], node: Nodes) => {
    if (text === '') return;
    if (parts.length > 0) length += 2;
    const start = length;
    parts.push(text);
    length += text.length;
    const position = node.position;
    blocks.push({ start, end: length, kind, section, fileLines: position ? { start: position.start.line, end: position.end.line } : null });
    if (kind === 'content') contentSeen = true;
  };

  const visit = (node: RootContent) => {
    switch (node.type) {
      case 'yaml':
        Object.assign(metadata, frontMatter(node.value));
        return;
      case 'heading': {
        const text = inlineText(node);
        const anchor = slugger.slug(text);
        const namesDocument = metadata.title === null || metadata.title.toLowerCase() === text.toLowerCase();
        if (!contentSeen && titleHeading === null && headings.length === 0 && namesDocument) {
          titleHeading = text;
          emit(text, 'heading', node);
          return;
        }
        headings = [...headings.filter((heading) => heading.depth < node.depth), { depth: node.depth, text }];
        section = { label: sectionLabel(headings.map((heading) => heading.text)), anchor: anchor === '' ? null : anchor };
        emit(text, 'heading', node);
        return;
      }
      case 'paragraph':
        emit(inlineText(node), 'content', node);
        return;
      case 'code':
        // Code is quoted as written: a command is the answer to "how do I install".
        emit(node.value.trim(), 'content', node);
        return;
      case 'table': {
        // Each row a block that says what its cells are: "Vessel length: Under 10 metres; Toll: 18 crowns".
        const [header, ...rows] = node.children.map((row) => row.children.map((cell) => inlineText(cell)));
        node.children.slice(1).forEach((row, i) => {
          const cells = rows[i]!.map((cell, column) => (header?.[column] ? `${header[column]}: ${cell}` : cell)).filter((cell) => !/:\s*$/u.test(cell) && cell !== '');
          emit(cells.join('; '), 'content', row);
        });
        return;
      }
      case 'list':
      case 'listItem':
      case 'blockquote':
      case 'footnoteDefinition':
        for (const child of node.children) visit(child as RootContent);
        return;
      default:
        // html, thematicBreak, definition: nothing a reader reads as text.
        return;
    }
  };
  for (const node of tree.children) visit(node);
  return { text: parts.join('\n\n'), blocks, title: metadata.title ?? titleHeading, url: metadata.url };
}
