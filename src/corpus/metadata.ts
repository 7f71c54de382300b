import type { SourceLine } from './lines.js';
import { urlOf } from './line-kinds.js';

const TITLE_MAX_CHARS = 120;
// A URL stated by the document itself sits at its top, as in a clipped article.
const URL_SEARCH_LINES = 5;

export function titleOf(lines: SourceLine[], fallback: string): string {
  const line = lines.find((candidate) => candidate.kind === 'heading' || candidate.kind === 'text');
  if (!line) return fallback;
  const title = line.text
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[-–—*•]\s+/, '');
  if (title.length <= TITLE_MAX_CHARS) return title;
  const cut = title.lastIndexOf(' ', TITLE_MAX_CHARS - 1);
  return `${title.slice(0, cut > 0 ? cut : TITLE_MAX_CHARS - 1)}…`;
}

export function urlOfDocument(lines: SourceLine[]): string | null {
  const top = lines.filter((line) => line.kind !== 'blank').slice(0, URL_SEARCH_LINES);
  const line = top.find((candidate) => candidate.kind === 'url');
  return line ? urlOf(line.text) : null;
}
