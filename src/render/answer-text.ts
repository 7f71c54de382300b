import { highlightStandsOut } from '../retrieval/quote.js';
import { byDocument } from '../retrieval/by-document.js';
import { SCORE_LABELS, type Answer, type SearchResult } from '../retrieval/types.js';
import { answerCountPhrase, capitalized } from './answer-count.js';
import { declineReason, missingLine } from './decline.js';
import { terminalSafe } from './terminal-safe.js';
import { linkToWords } from './text-fragment.js';

export interface TextStyle {
  bold: (text: string) => string;
  dim: (text: string) => string;
}

export const PLAIN: TextStyle = { bold: (text) => text, dim: (text) => text };
export const ANSI: TextStyle = {
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
};

/** An answer for a person at a terminal: each quote, its most relevant sentence marked, and where it comes from. */
export function renderAnswerText(answer: Answer, style: TextStyle = PLAIN): string {
  const reason = answer.answered ? null : declineReason(answer);
  if (reason !== null) {
    return [
      `${reason} Nothing in the corpus answers “${answer.question}”.`,
      answer.notMentioned.length > 0 ? 'Check the spelling, or ask with a name the documents use for it.' : 'Ask about what they do say.',
    ].join('\n');
  }
  if (!answer.answered) {
    return [
      `No passage in the corpus answers “${answer.question}” confidently.`,
      'Try other words (names, places, dates from the documents), or run with --mode lexical to see the closest keyword matches.',
    ].join('\n');
  }
  const block = (result: SearchResult) => {
    const [text, highlight] = [terminalSafe(result.quote), terminalSafe(result.highlight)];
    const at = highlightStandsOut(result.quoteSpans) ? text.indexOf(highlight) : -1;
    const quote = at < 0 ? text : `${text.slice(0, at)}${style.bold(highlight)}${text.slice(at + highlight.length)}`;
    const citation = [result.location, result.source, result.url ? linkToWords(result.url, result.highlight) : '']
      .filter((part) => part !== '')
      .map(terminalSafe)
      .join(' · ');
    const quoted = quote.split('\n').map((line) => `   > ${line}`).join('\n');
    const missing = result.missing.length > 0 ? `\n   ${style.dim(terminalSafe(missingLine(result.missing)))}` : '';
    return `${result.rank}. ${citation} ${style.dim(`(${SCORE_LABELS[answer.mode]} ${result.score})`)}\n${quoted}${missing}`;
  };
  // Each document's title once, above its results: documents in the order of their best result.
  const blocks = byDocument(answer.results).map((results) => `${style.bold(terminalSafe(results[0]!.title))}\n${results.map(block).join('\n\n')}`);
  const count = answerCountPhrase(answer.results[0]!.rank, answer.results.length, answer.totalMatches);
  const footer = style.dim(`${capitalized(count)}. Quoted verbatim from the documents; nothing here is generated.`);
  return [...blocks, footer].join('\n\n');
}
