import { IndexBuildError, IndexCorruptError, ReindexInProgressError } from '../errors.js';
import type { EngineSettings } from './engine-settings.js';
import type { DocumentShare } from './document-share.js';
import type { Embedder } from '../embeddings/embedder.js';
import { TransformersEmbedder, type ModelFileProgress } from '../embeddings/transformers-embedder.js';
import { CorpusIndex } from '../index-store/corpus-index.js';
import { IndexDirectory } from '../index-store/index-directory.js';
import { fileBackend, type IndexBackend } from '../index-store/index-backend.js';
import { postgresBackend } from '../index-store/backends/postgres/postgres-backend.js';
import type { SearchIndex } from '../index-store/search-index.js';
import { inThreadBuilder, processBuilder, type BuildResult, type IndexBuilder } from '../indexing/index-builder.js';
import { loadBase } from '../indexing/base-index.js';
import { requirementsFor, type IndexProgress, type ReindexSummary } from '../indexing/index-types.js';
import { incompatibility, type IndexRequirements } from '../index-store/manifest.js';
import { locationOf, urlOfPassage } from '../passages/passage.js';
import { isVisibleIn } from '../corpus/document-scope.js';
import { Retriever, documentShareOf, type IndexCalibration } from '../retrieval/retriever.js';
import type { Answer, SearchOptions, SourceInfo } from '../retrieval/types.js';

export interface EngineEvents {
  onProgress?: (progress: IndexProgress) => void;
  /** Something was skipped or repaired; the edge decides how to show it. */
  onWarning?: (message: string) => void;
}

export interface OpenEvents extends EngineEvents {
  /** How far each model file has been read while the model loads (a hub download shows here). */
  onModelFile?: (progress: ModelFileProgress) => void;
}

export interface OpenOptions extends OpenEvents {
  /** Replaces the configured model (tests count embedder calls; benchmarks wrap it). */
  embedder?: Embedder;
  /**
   * Where index builds run: `process` (a child process with its own copy of the configured
   * model, so this one keeps serving) or `thread` (this thread, with `embedder`). Default:
   * `process`, or `thread` when an embedder is given, since a child cannot use this one's objects.
   */
  buildIn?: 'process' | 'thread';
}

/** What following CURRENT did on one look. */
export type FollowOutcome =
  | { kind: 'switched'; from: string; to: string }
  /** CURRENT names a version this engine cannot serve (another model's vectors); the one in service is kept. */
  | { kind: 'incompatible'; version: string; reason: string };

export interface FollowEvents {
  onFollow: (outcome: FollowOutcome) => void;
  /** Reading or loading the version in CURRENT failed; the one in service is kept and the next look tries again. */
  onError: (error: unknown) => void;
}

export interface PassageView {
  passageId: number;
  source: string;
  title: string;
  url: string | null;
  location: string;
  passage: string;
}

/**
 * The one entry point to retrieval for every edge (CLI, Discord bot, evaluation, benchmarks).
 * It owns the index in service and swaps a rebuilt one in atomically: searches running during a
 * re-index are answered by the old index, and a failed re-index leaves it in service.
 */
export class CorpusEngine {
  private reindexing: Promise<ReindexSummary> | null = null;
  private looking: Promise<FollowOutcome | null> | null = null;
  /** A version found unservable, reported once rather than on every look. */
  private refused: string | null = null;

  private constructor(
    private index: SearchIndex,
    /** The version in the index folder that builds update (with the files backend, the one in service). */
    private local: CorpusIndex | null,
    private readonly backend: IndexBackend,
    private readonly builder: IndexBuilder,
    private readonly directory: IndexDirectory,
    private readonly settings: EngineSettings,
    private readonly retriever: Retriever,
    private readonly required: IndexRequirements,
    /** What opening had to build, if the index on disk could not be used as it was. */
    readonly openingBuild: ReindexSummary | null,
  ) {}

  /**
   * Loads the model, then the index in service: a version a shared backend already holds, else
   * the index folder's, published; builds or repairs it when it is missing, stale or damaged.
   */
  static async open(settings: EngineSettings, options: OpenOptions = {}): Promise<CorpusEngine> {
    const embedder = options.embedder ?? (await TransformersEmbedder.load(settings.model, options.onModelFile));
    const directory = new IndexDirectory(settings.indexDir);
    const retriever = new Retriever(embedder, settings.retrieval);
    const builder =
      (options.buildIn ?? (options.embedder ? 'thread' : 'process')) === 'process'
        ? processBuilder({ indexDir: settings.indexDir, model: settings.model, index: settings.index })
        : inThreadBuilder(directory, embedder, settings.index);
    const required = requirementsFor(embedder, settings.index);
    const backend = await openBackend(settings, directory);
    const engine = (index: SearchIndex, local: CorpusIndex | null, built: ReindexSummary | null) =>
      new CorpusEngine(index, local, backend, builder, directory, settings, retriever, required, built);
    try {
      const { base, loaded } = await loadBase(directory, required, settings.index.hnsw.efSearch);
      const published = backend.shared ? await servableCurrent(backend, required) : null;
      if (published) {
        await retriever.prepare(published);
        return engine(published, loaded, null);
      }
      if (base?.searchReusable) {
        const index = await backend.publish(base.index);
        await retriever.prepare(index);
        return engine(index, base.index, null);
      }
      // The build decides again under the writer's lock, and reports what stood in the way (nothing
      // built yet, damage, another model); what was loaded here is handed over, not read again.
      const built = await builder.build(loaded, options);
      const local = await CorpusEngine.localOf(built, loaded, directory, settings);
      const index = await backend.publish(local);
      await retriever.prepare(index);
      return engine(index, local, built.summary);
    } catch (error) {
      await backend.close();
      throw error;
    }
  }

  /** The index folder's version a build produced: in memory already, the one built on when unchanged, or read from disk. */
  private static async localOf(
    built: BuildResult,
    current: CorpusIndex | null,
    directory: IndexDirectory,
    settings: EngineSettings,
  ): Promise<CorpusIndex> {
    if (built.index) return built.index;
    if (current && current.version === built.summary.version) return current;
    return CorpusIndex.load(directory, built.summary.version, settings.index.hnsw.efSearch);
  }

  /** Where the index in service is kept (INDEX_BACKEND). */
  get backendName(): IndexBackend['name'] {
    return this.backend.name;
  }

  /** Lets go of the backend's connections; the engine answers nothing after. */
  close(): Promise<void> {
    return this.backend.close();
  }

  get indexVersion(): string {
    return this.index.version;
  }

  /** The folder the corpus is read from (CORPUS_DIR), and the largest file it indexes (MAX_FILE_BYTES). */
  get corpus(): { dir: string; maxFileBytes: number } {
    return { dir: this.settings.index.corpusDir, maxFileBytes: this.settings.index.maxFileBytes };
  }

  /** The longest question `search` takes (MAX_QUESTION_CHARS). */
  get maxQuestionChars(): number {
    return this.settings.retrieval.maxQuestionChars;
  }

  /** How many results an answer has when the asker does not say (DEFAULT_RESULTS). */
  get defaultResults(): number {
    return this.settings.retrieval.defaultResults;
  }

  /** The share of BM25's weight hybrid ranking gives whole documents on the index in service (`documentShareOf`). */
  get documentShare(): DocumentShare {
    const setting = this.settings.retrieval.documentWeight;
    const { documentDistinctness } = this.index.manifest;
    return { share: documentShareOf(setting, this.index.manifest), set: setting !== undefined, distinctness: documentDistinctness };
  }

  /** Where "not found" begins on the index in service (see `Retriever.calibration`). */
  calibration(): Promise<IndexCalibration> {
    return this.retriever.calibration(this.index);
  }

  get isReindexing(): boolean {
    return this.reindexing !== null;
  }

  search(question: string, options?: SearchOptions): Promise<Answer> {
    return this.retriever.search(this.index, question, options);
  }

  /** The indexed documents; with `server` (null: a DM), only those its questions are answered from. */
  sources(server?: string | null): SourceInfo[] {
    const documents = Object.entries(this.index.manifest.documents).filter(([source]) => server === undefined || isVisibleIn(source, server));
    return documents.map(([source, entry]) => ({
      source,
      title: entry.title,
      url: entry.url,
      passages: entry.passageIds.length,
      hash: entry.hash,
    }));
  }

  async passage(passageId: number): Promise<PassageView | undefined> {
    // The index it is read from also names its document, though a re-index swaps in another meanwhile.
    const index = this.index;
    const passage = await index.passage(passageId);
    if (!passage) return undefined;
    const document = index.manifest.documents[passage.source]!;
    return {
      passageId,
      source: passage.source,
      title: document.title,
      url: urlOfPassage(document.url, passage),
      location: locationOf(passage),
      passage: passage.text,
    };
  }

  /**
   * A build that failed may still have committed its version (a builder killed between writing
   * CURRENT and reporting): that version is served, and the failure says so; otherwise the
   * index in service is kept, and the failure says that.
   */
  private async afterFailedBuild(error: unknown): Promise<never> {
    const onDisk = await this.directory.currentVersion().catch(() => null);
    if (onDisk === null || onDisk === this.local?.version) {
      if (error instanceof IndexBuildError) error.message += ' The index in service was kept.';
      throw error;
    }
    this.local = await CorpusIndex.load(this.directory, onDisk, this.settings.index.hnsw.efSearch);
    this.index = await this.backend.publish(this.local);
    await this.retriever.prepare(this.index).catch(() => undefined);
    throw new IndexBuildError(
      `${(error as Error).message} It had already written index ${onDisk}, which is now in service; what changed was not reported.`,
    );
  }

  /**
   * Serves the version CURRENT names (in the index folder or the shared backend) if it is not the
   * one in service: another process committed it (a re-index run by another shard, bot process or
   * machine, `npm run index`). Several processes on one index so build each version once and all serve it. Each process swaps its whole index
   * at once, so no answer mixes versions. Nothing happens while this engine's own re-index runs:
   * it swaps in what it built when done.
   */
  followCurrent(): Promise<FollowOutcome | null> {
    this.looking ??= this.lookAtCurrent().finally(() => {
      this.looking = null;
    });
    return this.looking;
  }

  private async lookAtCurrent(): Promise<FollowOutcome | null> {
    const version = this.reindexing ? null : await this.backend.currentVersion();
    if (version === null || version === this.index.version || version === this.refused) return null;
    const index = await this.backend.open(version).catch((error: unknown) => {
      // Damage does not mend itself: reported once, and the next build replaces the version.
      if (error instanceof IndexCorruptError) this.refused = version;
      throw error;
    });
    const mismatch = incompatibility(index.manifest, this.required);
    if (mismatch && !mismatch.vectorsReusable) {
      this.refused = version;
      return { kind: 'incompatible', version, reason: mismatch.reason };
    }
    await this.retriever.prepare(index);
    // A re-index of this engine's own may have started and ended meanwhile: CURRENT says which is newest.
    if (this.reindexing || (await this.backend.currentVersion()) !== version) return null;
    const from = this.index.version;
    this.index = index;
    // With the files backend the version served is the one builds update; a shared backend's may come from elsewhere.
    if (index instanceof CorpusIndex) this.local = index;
    return { kind: 'switched', from, to: version };
  }

  /** Looks at CURRENT every `intervalMs` (see `followCurrent`) until the returned stop is called. */
  follow(intervalMs: number, events: FollowEvents): () => void {
    const timer = setInterval(() => {
      this.followCurrent().then(
        (outcome) => {
          if (outcome) events.onFollow(outcome);
        },
        (error: unknown) => events.onError(error),
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Re-reads the corpus and swaps in the updated index. Only one runs at a time. */
  async reindex(events: EngineEvents = {}): Promise<ReindexSummary> {
    if (this.reindexing) throw new ReindexInProgressError();
    this.reindexing = this.builder
      .build(this.local, events)
      .catch((error: unknown) => this.afterFailedBuild(error))
      .then(async (built) => {
        this.local = await CorpusEngine.localOf(built, this.local, this.directory, this.settings);
        // Nothing changed here: nothing to publish. Publishing it again would set a shared backend
        // back to this folder's version when another machine has published a newer one since.
        const index = built.summary.changed ? await this.backend.publish(this.local) : this.index;
        // The new version is committed: serve it whatever happens next. Calibrated before
        // the swap, so the first question does not wait for it; if that fails, the first question
        // tries again (and reports the failure itself).
        await this.retriever.prepare(index).catch((error: unknown) => {
          events.onWarning?.(`Calibrating the new index failed (${(error as Error).message}); it will be retried on the next question.`);
        });
        this.index = index;
        return built.summary;
      });
    try {
      return await this.reindexing;
    } finally {
      this.reindexing = null;
    }
  }
}

function openBackend(settings: EngineSettings, directory: IndexDirectory): Promise<IndexBackend> {
  const { backend } = settings;
  if (backend.kind === 'files') return Promise.resolve(fileBackend(directory, settings.index.hnsw.efSearch));
  return postgresBackend(directory, {
    url: backend.url,
    poolSize: backend.poolSize,
    keepPrevious: 1,
    hnsw: settings.index.hnsw,
    candidates: settings.retrieval.candidates,
  });
}

/** The version a shared backend has in service, if this engine's model can serve it. */
async function servableCurrent(backend: IndexBackend, required: IndexRequirements): Promise<SearchIndex | null> {
  const version = await backend.currentVersion();
  if (version === null) return null;
  const index = await backend.open(version);
  const mismatch = incompatibility(index.manifest, required);
  return mismatch && !mismatch.vectorsReusable ? null : index;
}
