import type { SkippedFile, SourceDocument } from '../corpus/document.js';
import { PLAIN_TEXT_EXTRACTOR } from '../corpus/formats/formats.js';
import type { DocumentEntry } from '../index-store/manifest.js';

/** What a build changes: which files are embedded, which kept as they were, which dropped. */
export interface UpdatePlan {
  /** Every source in the new version, sorted. */
  present: string[];
  /** Indexed before, unreadable or empty now (caught mid-rewrite): kept at their last version. */
  heldOver: Set<string>;
  added: string[];
  changed: string[];
  removed: string[];
  toEmbed: Set<string>;
}

/** Compares the corpus as read now with the documents of the version it builds on. */
export function planUpdate(
  documents: SourceDocument[],
  skipped: SkippedFile[],
  previous: Readonly<Record<string, DocumentEntry>>,
): UpdatePlan {
  const heldOver = new Set(skipped.filter((file) => file.transient && previous[file.source]).map((file) => file.source));
  const present = [...new Set([...documents.map((document) => document.source), ...heldOver])].sort();
  const added = documents.filter((document) => !previous[document.source]).map((document) => document.source);
  // Read by another extraction (a new version of it, or a format the file was not read as
  // before), the same bytes make other passages.
  const changed = documents
    .filter((document) => {
      const entry = previous[document.source];
      return entry && (entry.hash !== document.hash || (entry.extractor ?? PLAIN_TEXT_EXTRACTOR) !== document.extractor);
    })
    .map((document) => document.source);
  const kept = new Set(present);
  const removed = Object.keys(previous).filter((source) => !kept.has(source));
  return { present, heldOver, added, changed, removed, toEmbed: new Set([...added, ...changed]) };
}

/** The warning for each file that was not read as a document this time. */
export function skipWarnings(skipped: SkippedFile[], plan: UpdatePlan): string[] {
  return skipped.map((file) =>
    plan.heldOver.has(file.source)
      ? `${file.source} was not indexed again: ${file.reason}; its previously indexed version is kept.`
      : `Skipped ${file.source}: ${file.reason}.`,
  );
}
