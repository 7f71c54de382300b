import { existsSync } from 'node:fs';
import path from 'node:path';

/** Says once, before the suite runs, which checks have no data to run on here. */
export default function setup(): void {
  const scifact = path.resolve(import.meta.dirname, '../../../shared/datasets/scifact');
  if (!existsSync(scifact)) {
    process.stdout.write(`SciFact checks skipped: no BEIR SciFact dataset at ${scifact} (the rest of the suite needs nothing outside the clone).\n`);
  }
}
