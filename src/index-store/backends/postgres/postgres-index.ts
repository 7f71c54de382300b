import type pg from 'pg';
import { analyze } from '../../../lexical/analyzer.js';
import { coveredGroupsOf, passageScore, type Bm25Params, type Bm25Query } from '../../../lexical/bm25.js';
import { TermTable } from '../../../lexical/term-table.js';
import type { Passage } from '../../../passages/passage.js';
import { containsPhrase, PHRASE_CANDIDATES } from '../../in-memory-evidence.js';
import type { IndexManifest } from '../../manifest.js';
import type { CandidateEvidence, CandidateRequest, PassageScope, SearchIndex } from '../../search-index.js';
import type { VectorHit } from '../../vector-index.js';
import { META_SCHEMA, versionSchema } from './schema.js';
import { vectorLiteral } from './publish.js';

/**
 * One version in the database, as retrieval reads it. The nearest vectors come from pgvector's
 * HNSW index, the best BM25 passages from the postings table, and the evidence of each candidate
 * (its text, similarity and term frequencies) from one query over the candidates; only the term
 * table is held here, since analysing a question looks up many terms one by one.
 */
export class PostgresIndex implements SearchIndex {
  private readonly documentOf: Map<number, number>;

  private constructor(
    private readonly pool: Queryable,
    private readonly schema: string,
    readonly manifest: IndexManifest,
    readonly terms: TermTable,
    /** Mean passage length and mean document length, in terms. */
    private readonly averages: { passage: number; document: number },
  ) {
    this.documentOf = new Map(Object.values(manifest.documents).flatMap((entry, document) => entry.passageIds.map((id) => [id, document] as const)));
  }

  /** Opens the version with id `versionId`: reads its manifest and term table. */
  static async open(pool: Queryable, versionId: number): Promise<PostgresIndex> {
    const schema = versionSchema(versionId);
    const [{ rows: versions }, { rows: terms }, { rows: documents }] = await Promise.all([
      pool.query<{ manifest: IndexManifest; passages: number; total_length: string }>(
        `SELECT manifest, passages, total_length FROM ${META_SCHEMA}.versions WHERE id = $1`,
        [versionId],
      ),
      pool.query<{ term: string; df: number }>(`SELECT term, df FROM ${schema}.terms`),
      pool.query<{ count: string }>(`SELECT count(*) FROM ${schema}.documents`),
    ]);
    const version = versions[0];
    if (version === undefined) throw new Error(`index version ${versionId} is not in the database`);
    const totalLength = Number(version.total_length);
    const averages = {
      passage: totalLength / Math.max(1, version.passages),
      document: totalLength / Math.max(1, Number(documents[0]!.count)),
    };
    return new PostgresIndex(pool, schema, version.manifest, new TermTable(terms, version.passages), averages);
  }

  get version(): string {
    return this.manifest.version;
  }

  async hasPhrase(terms: readonly string[]): Promise<boolean> {
    if (terms.length === 1) return this.terms.documentFrequency(terms[0]!) > 0;
    const { rows } = await this.pool.query<{ text: string }>(
      `SELECT body->>'text' AS text FROM ${this.schema}.passages WHERE id IN (
         SELECT passage FROM ${this.schema}.postings WHERE term = ANY($1::text[]) GROUP BY passage HAVING count(*) = $2 LIMIT $3)`,
      [[...new Set(terms)], new Set(terms).size, PHRASE_CANDIDATES],
    );
    return rows.some(({ text }) => containsPhrase(analyze(text), terms));
  }

  async passage(id: number): Promise<Passage | undefined> {
    const { rows } = await this.pool.query<{ body: Passage }>(`SELECT body FROM ${this.schema}.passages WHERE id = $1`, [id]);
    return rows[0]?.body;
  }

  async gather(request: CandidateRequest): Promise<CandidateEvidence> {
    const { vector, query, limit, scope } = request;
    const literal = vector === null ? null : vectorLiteral(vector);
    const [dense, lexical] = await Promise.all([
      literal === null ? [] : this.nearest(literal, limit, scope),
      request.lexical && query.terms.length > 0 ? this.bestBm25(query, limit, scope) : [],
    ]);
    const pool = [...new Set([...dense.map((hit) => hit.id), ...lexical.map((hit) => hit.id)])];
    const [candidates, documentScores] = await Promise.all([
      this.candidates(pool, query, literal),
      request.documentScores ? this.documentScores(pool, query) : new Map<number, number>(),
    ]);
    const params = this.params;
    const the = (id: number) => {
      const candidate = candidates.get(id);
      if (candidate === undefined) throw new Error(`passage ${id} was a candidate but is not in ${this.schema}`);
      return candidate;
    };
    return {
      dense,
      lexical,
      passage: (id) => the(id).passage,
      similarity: (id) => the(id).similarity,
      bm25: (id) => passageScore(query, (termId) => the(id).tfs.get(termId) ?? 0, the(id).length, this.averages.passage, params),
      documentScore: (id) => documentScores.get(this.documentOf.get(id)!) ?? 0,
      coveredGroups: (id) => coveredGroupsOf(query, (termId) => the(id).tfs.has(termId)),
      termSet: (id) => new Set(analyze(the(id).passage.text)),
    };
  }

  private get params(): Bm25Params {
    return this.manifest.lexical;
  }

  private async nearest(literal: string, limit: number, scope: PassageScope | undefined): Promise<VectorHit[]> {
    const { where, values } = scopeClause(scope, 3);
    const { rows } = await this.pool.query<{ id: number; similarity: number }>(
      `SELECT id, 1 - (embedding <=> $1::vector) AS similarity FROM ${this.schema}.passages ${where}
       ORDER BY embedding <=> $1::vector LIMIT $2`,
      [literal, limit, ...values],
    );
    return rows;
  }

  /** The best passages by BM25, summed in the database over the query terms' postings. */
  private async bestBm25(query: Bm25Query, limit: number, scope: PassageScope | undefined): Promise<Array<{ id: number; score: number }>> {
    const { k1, b } = this.params;
    const { where, values } = scopeClause(scope, 7, 's');
    const join = where === '' ? '' : `JOIN ${this.schema}.passages s ON s.id = p.passage ${where}`;
    const { rows } = await this.pool.query<{ id: number; score: number }>(
      `SELECT p.passage AS id, sum(q.weight * p.tf / (p.tf + $3::float8 * (1 - $4::float8 + $4::float8 * p.length / $5::float8))) AS score
       FROM unnest($1::text[], $2::float8[]) AS q (term, weight)
       JOIN ${this.schema}.postings p ON p.term = q.term ${join}
       GROUP BY p.passage ORDER BY score DESC, p.passage LIMIT $6`,
      [query.terms.map((term) => term.term), query.terms.map((term) => term.weight), k1, b, this.averages.passage, limit, ...values],
    );
    return rows;
  }

  /** Each candidate's passage, similarity to the question, length and frequencies of the query's terms. */
  private async candidates(ids: readonly number[], query: Bm25Query, literal: string | null) {
    const termIdOf = new Map(query.terms.map((term) => [term.term, term.termId]));
    const [{ rows: passages }, { rows: postings }] = await Promise.all([
      this.pool.query<{ id: number; body: Passage; length: number; similarity: number | null }>(
        `SELECT id, body, length, ${literal === null ? 'NULL' : '1 - (embedding <=> $2::vector)'} AS similarity
         FROM ${this.schema}.passages WHERE id = ANY($1::integer[])`,
        literal === null ? [ids] : [ids, literal],
      ),
      query.terms.length === 0
        ? { rows: [] }
        : this.pool.query<{ passage: number; term: string; tf: number }>(
            `SELECT passage, term, tf FROM ${this.schema}.postings WHERE term = ANY($1::text[]) AND passage = ANY($2::integer[])`,
            [[...termIdOf.keys()], ids],
          ),
    ]);
    const candidates = new Map(
      passages.map((row) => [row.id, { passage: row.body, length: row.length, similarity: row.similarity ?? 0, tfs: new Map<number, number>() }]),
    );
    for (const { passage, term, tf } of postings) candidates.get(passage)?.tfs.set(termIdOf.get(term)!, tf);
    return candidates;
  }

  /** BM25 of the candidates' whole documents, as `Bm25Index.groupScores` computes it. */
  private async documentScores(ids: readonly number[], query: Bm25Query): Promise<Map<number, number>> {
    const documents = [...new Set(ids.map((id) => this.documentOf.get(id)!))];
    if (documents.length === 0 || query.terms.length === 0) return new Map();
    const termIdOf = new Map(query.terms.map((term) => [term.term, term.termId]));
    const [{ rows: tfs }, { rows: lengths }] = await Promise.all([
      this.pool.query<{ document: number; term: string; tf: string }>(
        `SELECT document, term, sum(tf) AS tf FROM ${this.schema}.postings
         WHERE term = ANY($1::text[]) AND document = ANY($2::integer[]) GROUP BY document, term`,
        [[...termIdOf.keys()], documents],
      ),
      this.pool.query<{ document: number; length: string }>(`SELECT document, length FROM ${this.schema}.documents WHERE document = ANY($1::integer[])`, [documents]),
    ]);
    const byDocument = new Map(documents.map((document) => [document, new Map<number, number>()]));
    for (const { document, term, tf } of tfs) byDocument.get(document)!.set(termIdOf.get(term)!, Number(tf));
    const lengthOf = new Map(lengths.map(({ document, length }) => [document, Number(length)]));
    return new Map(
      documents.map((document) => {
        const counts = byDocument.get(document)!;
        return [document, passageScore(query, (termId) => counts.get(termId) ?? 0, lengthOf.get(document) ?? 0, this.averages.document, this.params)];
      }),
    );
  }
}

/** What the index reads through: a pool, or one that turns its failures into messages for people. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** The SQL condition for a scope, with its parameters numbered from `first`. */
function scopeClause(scope: PassageScope | undefined, first: number, alias?: string): { where: string; values: unknown[] } {
  const column = (name: string) => (alias === undefined ? name : `${alias}.${name}`);
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (scope?.source !== undefined) {
    values.push(scope.source);
    conditions.push(`${column('source')} = $${first + values.length - 1}`);
  }
  if (scope?.server !== undefined) {
    // A shared document (no server) is seen everywhere; a server's own only there (null: a DM sees shared ones only).
    values.push(scope.server);
    conditions.push(`(${column('server')} IS NULL OR ${column('server')} = $${first + values.length - 1}::text)`);
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, values };
}
