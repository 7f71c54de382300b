import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import type { ExtractedText } from './extracted.js';
import { readHtmlBlocks } from './html-blocks.js';
import { ExtractedTextBuilder } from './text-builder.js';

/** Bump when the same Word file would extract differently: its passages are rebuilt. */
export const DOCX_EXTRACTOR = 'docx@1';

// Word's Title and Subtitle styles are not headings in mammoth's default map; the Title names the document.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

/**
 * A Word document (.docx) through mammoth, which reads the document's structure rather than its
 * looks: Heading 1–6 paragraphs make sections, lists and tables are kept; images, headers,
 * footers, comments, footnotes and endnotes are not read. A Word file has no URL; its title is its Title paragraph
 * or first heading.
 */
export async function extractDocx(bytes: Uint8Array): Promise<ExtractedText> {
  const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: STYLE_MAP });
  const builder = new ExtractedTextBuilder(null);
  const { body } = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
  // mammoth lists footnotes and endnotes after the body, where they would be cited in the last
  // section; without them, their markers ("[1]") in the text mean nothing either.
  for (const note of body.querySelectorAll('li[id^="footnote-"], li[id^="endnote-"], a[id^="footnote-ref-"], a[id^="endnote-ref-"]')) note.remove();
  readHtmlBlocks(body, builder);
  return builder.build(null);
}
