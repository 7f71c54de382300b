/** Sentence boundaries as offsets into the text, so that every sentence can be quoted verbatim. */

export interface Span {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
// ICU ends a sentence after "Mr." or an initial; these never end one in practice.
const NON_TERMINAL_ABBREVIATION =
  /(?:^|[\s("“‘'])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Rev|Hon|Pres|No|Nos|Vol|Fig|vs|etc|approx|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.$/;

/**
 * Splits `text[start, end)` into sentences. Line breaks inside the range are read as spaces,
 * because ICU treats a line break as a hard sentence end and hard-wrapped prose would split
 * mid-sentence. Whitespace around sentences is excluded from their spans.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const slice = text.slice(start, end).replace(/[\r\n]/g, ' ');
  const spans: Span[] = [];
  for (const { segment, index } of segmenter.segment(slice)) {
    const leading = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (trimmed === '') continue;
    const span = { start: start + index + leading, end: start + index + leading + trimmed.length };
    const previous = spans.at(-1);
    if (previous && NON_TERMINAL_ABBREVIATION.test(text.slice(previous.start, previous.end))) {
      previous.end = span.end;
    } else {
      spans.push(span);
    }
  }
  return spans;
}
