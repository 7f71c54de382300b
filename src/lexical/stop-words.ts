/**
 * Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, the set Anserini's default analyzer uses for
 * its BEIR BM25 baselines. Kept as short as Lucene's so that our BM25 figures stay comparable with
 * the published ones; BM25's idf already discounts other frequent words.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they',
  'this', 'to', 'was', 'will', 'with',
]);
