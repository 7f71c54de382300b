import { classifyLine, type LineKind } from './line-kinds.js';

export interface SourceLine {
  /** 1-based, as an editor shows it. */
  number: number;
  /** Offsets into the document text; `end` excludes the line break. */
  start: number;
  end: number;
  text: string;
  kind: LineKind;
}

export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const lineBreak = /\r\n|\n|\r/g;
  let start = 0;
  let number = 1;
  for (;;) {
    const match = lineBreak.exec(text);
    const end = match ? match.index : text.length;
    const lineText = text.slice(start, end);
    lines.push({ number, start, end, text: lineText, kind: classifyLine(lineText) });
    if (!match) return lines;
    start = match.index + match[0].length;
    number += 1;
  }
}
