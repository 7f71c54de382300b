import GithubSlugger from 'github-slugger';
import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parse as parseYaml } from 'yaml';
import type { ExtractedText } from './extracted.js';
import { ExtractedTextBuilder, tableRows } from './text-builder.js';

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
 * code block is a block of the extracted text, and the front matter gives the title and URL.
 * Raw HTML and thematic breaks are dropped. Anchors are the ones GitHub gives headings.
 */
export function extractMarkdown(markdown: string): ExtractedText {
  const tree: Root = fromMarkdown(markdown, {
    extensions: [frontmatter(['yaml']), gfm()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmFromMarkdown()],
  });
  const yaml = tree.children.find((node) => node.type === 'yaml');
  const metadata = yaml ? frontMatter(yaml.value) : { title: null, url: null };
  const builder = new ExtractedTextBuilder(metadata.title);
  const slugger = new GithubSlugger();
  const linesOf = (node: Nodes) => (node.position ? { start: node.position.start.line, end: node.position.end.line } : null);

  const visit = (node: RootContent) => {
    switch (node.type) {
      case 'heading': {
        const text = inlineText(node);
        const anchor = slugger.slug(text);
        builder.heading(node.depth, text, anchor === '' ? null : anchor, linesOf(node));
        return;
      }
      case 'paragraph':
        builder.content(inlineText(node), linesOf(node));
        return;
      case 'code':
        // Code is quoted as written: a command is the answer to "how do I install".
        builder.content(node.value, linesOf(node));
        return;
      case 'table': {
        const rows = node.children.map((row) => row.children.map((cell) => inlineText(cell)));
        tableRows(rows).forEach((row, i) => builder.content(row, linesOf(node.children[rows.length > 1 ? i + 1 : i]!)));
        return;
      }
      case 'list':
      case 'listItem':
      case 'blockquote':
      case 'footnoteDefinition':
        for (const child of node.children) visit(child as RootContent);
        return;
      default:
        // yaml (read above), html, thematicBreak, definition: nothing a reader reads as text.
        return;
    }
  };
  for (const node of tree.children) visit(node);
  return builder.build(metadata.url);
}
