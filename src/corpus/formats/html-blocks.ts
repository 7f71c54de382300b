import type { ExtractedTextBuilder } from './text-builder.js';
import { tableRows } from './text-builder.js';

/** The part of a DOM element this reader uses (linkedom's, or any DOM's). */
interface NodeLike {
  nodeType: number;
  textContent: string | null;
}

interface ElementLike extends NodeLike {
  tagName: string;
  children: ArrayLike<ElementLike>;
  childNodes: ArrayLike<NodeLike>;
  getAttribute(name: string): string | null;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

const HEADING = /^H([1-6])$/;
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'NAV', 'ASIDE', 'FOOTER', 'FORM', 'BUTTON', 'SVG', 'IFRAME']);
const CONTAINERS = new Set(['DIV', 'SECTION', 'ARTICLE', 'MAIN', 'BODY', 'HEADER', 'BLOCKQUOTE', 'UL', 'OL', 'DL', 'FIGURE', 'DETAILS', 'TBODY', 'THEAD']);
const BLOCKS = new Set([...CONTAINERS, 'P', 'PRE', 'LI', 'TABLE', 'DT', 'DD', 'FIGCAPTION', 'SUMMARY', ...['H1', 'H2', 'H3', 'H4', 'H5', 'H6']]);

const words = (element: ElementLike) => (element.textContent ?? '').replace(/\s+/gu, ' ').trim();
const childrenOf = (element: ElementLike) => Array.from(element.children);

/**
 * Reads an HTML element's blocks into `builder`: headings (their `id` as the anchor), paragraphs,
 * list items, table rows, preformatted text (as written); containers are read through, and an
 * element that holds text but no blocks is one block. Scripts, styles, navigation and forms are
 * not text a reader reads.
 */
export function readHtmlBlocks(element: ElementLike, builder: ExtractedTextBuilder): void {
  const tag = element.tagName.toUpperCase();
  if (SKIPPED.has(tag)) return;
  const heading = HEADING.exec(tag);
  if (heading) {
    builder.heading(Number(heading[1]), words(element), element.getAttribute('id'));
    return;
  }
  if (tag === 'PRE') {
    builder.content((element.textContent ?? '').replace(/^\n+|\s+$/gu, ''));
    return;
  }
  if (tag === 'TABLE') {
    const rows = tableRowsOf(element).map((row) => childrenOf(row).map(words));
    for (const row of tableRows(rows)) builder.content(row);
    return;
  }
  // Text beside blocks (a list item's words before its sub-list) is a block of its own.
  let inline = '';
  const flush = () => {
    builder.content(inline.replace(/\s+/gu, ' '));
    inline = '';
  };
  for (const node of Array.from(element.childNodes)) {
    if (node.nodeType === ELEMENT_NODE && BLOCKS.has((node as ElementLike).tagName.toUpperCase())) {
      flush();
      readHtmlBlocks(node as ElementLike, builder);
    } else if (node.nodeType === ELEMENT_NODE && (node as ElementLike).tagName.toUpperCase() === 'BR') {
      inline += ' ';
    } else if (node.nodeType === TEXT_NODE || (node.nodeType === ELEMENT_NODE && !SKIPPED.has((node as ElementLike).tagName.toUpperCase()))) {
      inline += node.textContent ?? '';
    }
  }
  flush();
}

function tableRowsOf(table: ElementLike): ElementLike[] {
  return childrenOf(table).flatMap((child) => (child.tagName.toUpperCase() === 'TR' ? [child] : tableRowsOf(child)));
}
