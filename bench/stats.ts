/** Latency distributions: every timing in the benchmark is one of these, never a single run. */

export interface Distribution {
  runs: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export interface RunPlan {
  /** Runs before measuring: JIT, caches and the ONNX session settle first. */
  warmup: number;
  runs: number;
}

/** The nearest-rank percentile of ascending `sorted` (q from 0 to 1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function distributionOf(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    min: sorted[0]!,
    max: sorted.at(-1)!,
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

/** Times `run(i)` in milliseconds, one call at a time; `i` counts from 0 through warm-up and runs. */
export async function timeAsync(plan: RunPlan, run: (i: number) => Promise<unknown>): Promise<Distribution> {
  const samples: number[] = [];
  for (let i = 0; i < plan.warmup + plan.runs; i += 1) {
    const started = performance.now();
    await run(i);
    if (i >= plan.warmup) samples.push(performance.now() - started);
  }
  return distributionOf(samples);
}

/** As `timeAsync` for synchronous work, where an await per call would add to sub-millisecond figures. */
export function timeSync(plan: RunPlan, run: (i: number) => unknown): Distribution {
  const samples: number[] = [];
  for (let i = 0; i < plan.warmup + plan.runs; i += 1) {
    const started = performance.now();
    run(i);
    if (i >= plan.warmup) samples.push(performance.now() - started);
  }
  return distributionOf(samples);
}
