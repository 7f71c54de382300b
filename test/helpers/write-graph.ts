/*
 * Writes a small HNSW graph into the folder given as its argument and prints what happened:
 * test/cli-faults.test.ts runs it on a tmpfs too small for the graph.
 */
import path from 'node:path';
import { VectorIndex } from '../../src/index-store/vector-index.js';

const graph = VectorIndex.create(16, 100, { m: 8, efConstruction: 50, efSearch: 10 });
for (let id = 0; id < 100; id += 1) graph.add(id, Float32Array.from({ length: 16 }, (_, i) => Math.sin(id * 16 + i)));
try {
  graph.write(path.join(process.argv[2]!, 'hnsw.bin'));
  process.stdout.write('written\n');
} catch (error) {
  process.stdout.write(`refused: ${(error as Error).message}\n`);
}
