import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ExtractedText } from './extracted.js';
import { readHtmlBlocks } from './html-blocks.js';
import { ExtractedTextBuilder } from './text-builder.js';

/** Bump when the same HTML file would extract differently: its passages are rebuilt. */
export const HTML_EXTRACTOR = 'html@1';

const httpUrl = (value: string | null | undefined) => (value && /^https?:\/\//i.test(value.trim()) ? value.trim() : null);

/**
 * A saved web page: its main content as Mozilla's Readability (Firefox's reader view) finds it,
 * so navigation, headers, footers, sidebars and comment boxes are dropped, read block by block
 * with its headings as sections. The title is the page's (`<title>`, as Readability cleans it),
 * the URL its canonical link (or `og:url`). A page Readability finds no article in is read whole,
 * without its scripts, navigation and footers.
 */
export function extractHtml(html: string): ExtractedText {
  // linkedom builds no <html> or <body> a file leaves out (a fragment, a page without <body>).
  const whole = /<body[\s>]/iu.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`;
  const page = parseHTML(whole).document;
  const url =
    httpUrl(page.querySelector('link[rel="canonical"]')?.getAttribute('href')) ??
    httpUrl(page.querySelector('meta[property="og:url"]')?.getAttribute('content'));
  // Readability changes the document it reads, so it gets its own copy, with every heading a level
  // lower: it makes each <h1> of an article an <h2>, which would put a page's sections on one level.
  const copy = parseHTML(whole).document;
  for (let level = 5; level >= 1; level -= 1) {
    for (const heading of copy.querySelectorAll(`h${level}`)) {
      const lower = copy.createElement(`h${level + 1}`);
      for (const name of heading.getAttributeNames()) lower.setAttribute(name, heading.getAttribute(name) ?? '');
      lower.append(...Array.from(heading.childNodes));
      heading.replaceWith(lower);
    }
  }
  const article = new Readability(copy as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  const title = article?.title?.trim() || page.querySelector('title')?.textContent?.trim() || null;
  const builder = new ExtractedTextBuilder(title);
  const content = article?.content ? parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body : page.body;
  if (content) readHtmlBlocks(content, builder);
  return builder.build(url);
}
