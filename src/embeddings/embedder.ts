/** Turns text into unit vectors. The index and the retriever depend on this, not on a model library. */
export interface Embedder {
  /** Identifies the model and every setting that changes its vectors; an index built with another is rebuilt. */
  readonly fingerprint: string;
  readonly dimension: number;
  /** The most tokens the model reads from one text. */
  readonly maxTokens: number;
  countTokens(text: string): number;
  embedPassages(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}
