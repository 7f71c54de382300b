import { describeDocumentShare } from '../engine/document-share.js';
import { formatDeclines } from './beir-declines.js';
import type { BeirReport, ModeReport } from './beir-run.js';

/** Published nDCG@10 on a dataset's test split, to read our figures against. */
interface Reference {
  system: string;
  ndcgAt10: string;
}

const PUBLISHED: Record<string, Reference[]> = {
  scifact: [
    { system: 'BM25 (BEIR paper, Thakur et al. 2021)', ndcgAt10: '0.665' },
    { system: 'BM25, Anserini multifield / flat', ndcgAt10: '0.6647 / 0.6789' },
    { system: 'all-MiniLM-L6-v2 (MTEB)', ndcgAt10: '≈0.645' },
    { system: 'bge-small-en-v1.5 (MTEB)', ndcgAt10: '0.713' },
    { system: 'gte-small (MTEB)', ndcgAt10: '0.727' },
  ],
};

const METRICS = ['nDCG@10', 'Recall@10', 'Recall@100', 'MRR@10'] as const;
const SYSTEM_WIDTH = 42;

function modeRow({ mode, metrics, queriesPerSecond, medianMs }: ModeReport): string {
  return [
    mode.padEnd(8),
    ...METRICS.map((name) => (metrics[name] ?? 0).toFixed(4).padStart(name.length)),
    queriesPerSecond.toFixed(1).padStart(9),
    medianMs.toFixed(1).padStart(9),
  ].join('  ');
}

function indexingLines(report: BeirReport): string[] {
  const { indexing } = report;
  if (indexing === null) return ['Indexing: the index was reused and its build was not recorded; delete it to measure one.'];
  const seconds = indexing.wallMs / 1000;
  const when = indexing.builtNow ? 'built now' : 'reused; figures of the run that built it';
  if (indexing.passagesEmbedded === 0) return [`Indexing (${when}): nothing embedded (the vectors were carried over), ${seconds.toFixed(1)} s wall.`];
  return [
    `Indexing (${when}): ${indexing.passagesEmbedded} passages from ${indexing.documentsIndexed} documents in ${seconds.toFixed(1)} s wall, model loading included:`,
    `  ${(indexing.passagesEmbedded / seconds).toFixed(1)} passages/s, ${(indexing.documentsIndexed / seconds).toFixed(1)} documents/s.`,
  ];
}

export function formatBeirReport(report: BeirReport): string {
  const lines = [
    `BEIR ${report.dataset}, ${report.split} split: ${report.queries} queries; ${report.documents} documents in ${report.passages} passages.`,
    `Embedding model: ${report.model}`,
    ...indexingLines(report),
    '',
    `Each query: the top ${report.passagesPerQuery} passages, each document at its best passage, cut to 100 documents.`,
    `Confidence thresholds off. Query time is per search of that depth, quotes included.`,
    describeDocumentShare(report.documentShare),
    '',
    [
      'mode'.padEnd(8),
      ...METRICS,
      'queries/s'.padStart(9),
      'p50 ms/q'.padStart(9),
    ].join('  '),
    ...report.modes.map(modeRow),
  ];
  const refused = report.modes.filter((mode) => mode.refused > 0);
  for (const { mode, refused: count } of refused) lines.push(`${mode}: ${count} queries refused as unsearchable (scored 0).`);

  const published = PUBLISHED[report.dataset.toLowerCase()];
  if (published) {
    lines.push('', `nDCG@10 beside published figures (theirs: test split; ours: ${report.split} split)`);
    for (const { system, ndcgAt10 } of published) lines.push(`  ${system.padEnd(SYSTEM_WIDTH)}${ndcgAt10}`);
    for (const { mode, metrics } of report.modes) {
      lines.push(`  ${`ours, ${mode} (${report.model})`.padEnd(SYSTEM_WIDTH)}${(metrics['nDCG@10'] ?? 0).toFixed(4)}`);
    }
  }
  if (report.declines) lines.push('', formatDeclines(report.declines));
  return lines.join('\n');
}
