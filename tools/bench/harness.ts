/**
 * Benchmark harness: every scenario runs `repeats` times; we report median and min–max, and each
 * Gongzhi figure beside a baseline measured in the same run on the same machine (absolute times
 * on shared machines drift; ratios do not drift as much).
 */
export type Unit = 'events/s' | 'ms' | 'MB' | 'mutations/s' | 'positions';

export interface Measurement {
  value: number;
  /** Extra figures of one run (p95, p99, peak RSS…), reported beside the main one. */
  extra?: Record<string, number>;
}

export interface Scenario {
  id: string;
  title: string;
  unit: Unit;
  /** Higher is better (throughput) or lower is better (latency). */
  better: 'higher' | 'lower';
  /** Id of the baseline scenario this one is compared with. */
  baseline?: string;
  /** Target as a ratio to the baseline (value/baseline for 'higher', baseline/value for 'lower'), or an absolute bound. */
  target?: { ratio?: number; absolute?: number; note?: string };
  repeats?: number;
  setup?(): Promise<void>;
  run(): Promise<Measurement>;
  teardown?(): Promise<void>;
}

export interface Result {
  id: string;
  title: string;
  unit: Unit;
  better: 'higher' | 'lower';
  runs: number[];
  median: number;
  min: number;
  max: number;
  extra: Record<string, number>;
  baseline?: string;
  /** Median of `ratioRuns` when the baseline ran in the same rounds, else of the medians. */
  ratio?: number;
  /** value/baseline (higher is better) or baseline/value (lower is better), round by round. */
  ratioRuns?: number[];
  target?: Scenario['target'];
  met?: boolean;
  error?: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export async function runScenario(s: Scenario, defaultRepeats: number, log: (line: string) => void): Promise<Result> {
  return (await runRounds([s], defaultRepeats, log))[0];
}

/**
 * Runs scenarios round by round: each round runs every scenario of the group once, in order. A
 * baseline and the scenarios compared with it share a group, so a change in machine load in the
 * middle of the measurement (other processes on a shared machine) hits both alike, and each
 * round yields its own ratio.
 */
export async function runRounds(group: Scenario[], defaultRepeats: number, log: (line: string) => void): Promise<Result[]> {
  const state = group.map((s) => ({ s, runs: [] as number[], extras: {} as Record<string, number[]>, error: undefined as unknown }));
  const fail = (st: (typeof state)[number], e: unknown) => {
    st.error = e;
    log(`  ${st.s.id} FAILED: ${(e as Error)?.stack ?? e}`);
  };
  for (const st of state) {
    try {
      await st.s.setup?.();
    } catch (e) {
      fail(st, e);
    }
  }
  const rounds = Math.max(...group.map((s) => s.repeats ?? defaultRepeats));
  for (let i = 0; i < rounds; i++) {
    for (const st of state) {
      if (st.error !== undefined || i >= (st.s.repeats ?? defaultRepeats)) continue;
      try {
        const m = await st.s.run();
        st.runs.push(m.value);
        for (const [k, v] of Object.entries(m.extra ?? {})) (st.extras[k] ??= []).push(v);
        log(`  ${st.s.id} run ${i + 1}: ${fmt(m.value)} ${st.s.unit}`);
      } catch (e) {
        fail(st, e);
      }
    }
  }
  for (const st of state) await st.s.teardown?.().catch(() => undefined);
  return state.map(({ s, runs, extras, error }) => {
    if (error !== undefined) {
      return { id: s.id, title: s.title, unit: s.unit, better: s.better, runs, median: NaN, min: NaN, max: NaN, extra: {}, error: String((error as Error)?.message ?? error) };
    }
    const extra: Record<string, number> = {};
    for (const [k, v] of Object.entries(extras)) extra[k] = median(v);
    return {
      id: s.id, title: s.title, unit: s.unit, better: s.better, runs,
      median: median(runs), min: Math.min(...runs), max: Math.max(...runs), extra,
      baseline: s.baseline, target: s.target,
    };
  });
}

export function attachRatios(results: Result[]): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const r of results) {
    if (r.target?.absolute !== undefined && !Number.isNaN(r.median)) {
      r.met = r.better === 'higher' ? r.median >= r.target.absolute : r.median <= r.target.absolute;
    }
    const b = r.baseline ? byId.get(r.baseline) : undefined;
    if (!b || Number.isNaN(b.median) || Number.isNaN(r.median)) continue;
    const ratio = (ours: number, base: number) => (r.better === 'higher' ? ours / base : base / ours);
    // Runs of one round were measured side by side: the median of the per-round ratios is what
    // drifting machine load disturbs least.
    r.ratioRuns = r.runs.length === b.runs.length ? r.runs.map((v, i) => ratio(v, b.runs[i])) : undefined;
    r.ratio = r.ratioRuns ? median(r.ratioRuns) : ratio(r.median, b.median);
    if (r.target?.ratio !== undefined) r.met = r.ratio >= r.target.ratio;
  }
}

export const fmt = (n: number): string =>
  Number.isNaN(n) ? 'n/a' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);

export function table(results: Result[]): string {
  const rows = [['scenario', 'median', 'min–max', 'unit', 'vs baseline', 'target', 'met']];
  for (const r of results) {
    const target = r.target?.ratio !== undefined ? `≥ ${r.target.ratio}×` : r.target?.absolute !== undefined ? `${r.better === 'higher' ? '≥' : '≤'} ${fmt(r.target.absolute)}` : '';
    rows.push([
      r.error ? `${r.id} (error)` : r.id,
      fmt(r.median),
      `${fmt(r.min)}–${fmt(r.max)}`,
      r.unit + (Object.keys(r.extra).length ? ` (${Object.entries(r.extra).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})` : ''),
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}× ${r.baseline}` : '',
      target,
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => [...row[i]].length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
