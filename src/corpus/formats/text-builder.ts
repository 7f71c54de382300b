import { sectionLabel, type DocumentBlock, type DocumentSection, type ExtractedText } from './extracted.js';

/**
 * Builds an extracted text block by block, as every structured format reads: headings open
 * sections (a deeper one nests, a shallower one closes those below it), other blocks are
 * content in the section open. The first heading, when it comes before any content and names
 * the document (the title is it, perhaps followed by a site's name), is the title rather than a section.
 */
export class ExtractedTextBuilder {
  readonly #parts: string[] = [];
  readonly #blocks: DocumentBlock[] = [];
  #length = 0;
  #headings: { depth: number; text: string }[] = [];
  #section: DocumentSection | null = null;
  #titleHeading: string | null = null;
  #contentSeen = false;

  constructor(private readonly title: string | null) {}

  heading(depth: number, text: string, anchor: string | null, fileLines: DocumentBlock['fileLines'] = null): void {
    const words = text.replace(/\s+/gu, ' ').trim();
    if (words === '') return;
    const namesDocument = this.title === null || titleStartsWith(this.title, words);
    if (!this.#contentSeen && this.#titleHeading === null && this.#headings.length === 0 && namesDocument) {
      this.#titleHeading = words;
    } else {
      this.#headings = [...this.#headings.filter((heading) => heading.depth < depth), { depth, text: words }];
      this.#section = { label: sectionLabel(this.#headings.map((heading) => heading.text)), anchor };
    }
    this.#emit(words, 'heading', fileLines);
  }

  /** A paragraph, list item, table row or code block (`text` as the reader sees it). */
  content(text: string, fileLines: DocumentBlock['fileLines'] = null): void {
    if (text.trim() === '') return;
    this.#contentSeen = true;
    this.#emit(text.trim(), 'content', fileLines);
  }

  /** A fixed section for what follows (a PDF's page), instead of one opened by a heading. */
  startSection(section: DocumentSection): void {
    this.#headings = [];
    this.#section = section;
  }

  build(url: string | null): ExtractedText {
    return { text: this.#parts.join('\n\n'), blocks: this.#blocks, title: this.title ?? this.#titleHeading, url };
  }

  #emit(text: string, kind: DocumentBlock['kind'], fileLines: DocumentBlock['fileLines']): void {
    if (this.#parts.length > 0) this.#length += 2;
    const start = this.#length;
    this.#parts.push(text);
    this.#length += text.length;
    this.#blocks.push({ start, end: this.#length, kind, section: this.#section, fileLines });
  }
}

/** Whether `title` is `heading`, or it followed by the site's name ("Tide tables | Kelmarsh Port"). */
function titleStartsWith(title: string, heading: string): boolean {
  const [t, h] = [title, heading].map((text) => text.toLowerCase().replace(/\s+/gu, ' ').trim());
  return t === h || (t!.startsWith(h!) && /^\s*[|–—:·•-]\s/u.test(t!.slice(h!.length)));
}

/** A table's rows as blocks that say what their cells are: "Vessel length: Under 10 metres; Toll: 18 crowns". */
export function tableRows(rows: readonly (readonly string[])[]): string[] {
  const [header, ...body] = rows;
  if (body.length === 0) return header ? [header.join('; ')] : [];
  return body.map((cells) =>
    cells
      .map((cell, column) => (header?.[column] && cell !== '' ? `${header[column]}: ${cell}` : cell))
      .filter((cell) => cell !== '')
      .join('; '),
  );
}
