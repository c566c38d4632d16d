import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { postgresTestUrl } from '@gongzhi/testing';
import { postgresBaselines, sqliteBaselines } from './baselines';
import type { Result } from './harness';
import { gongzhiScenarios } from './scenarios';
import { SIZES } from './workload';

const root = resolve(__dirname, '..', '..');
const withPostgres = !process.env.GONGZHI_SKIP_POSTGRES;

// `npm run bench` is not part of the test gate, but it must not rot: this runs the real command
// with tiny sizes (--smoke) and checks that every scenario produced a figure, and a ratio where
// it has a baseline. No figure is compared with a target here: timings belong to the benchmark.
describe('npm run bench -- --smoke', () => {
  let dir: string;
  let results: Result[];
  let exit: { code: number | null; stderr: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gz-bench-smoke-'));
    const out = join(dir, 'bench-results.json');
    const args = ['-r', '@swc-node/register', 'tools/bench/main.ts', '--smoke', `--out=${out}`, ...(withPostgres ? [] : ['--no-postgres'])];
    exit = await new Promise((done) => {
      execFile(
        process.execPath,
        args,
        { cwd: root, env: { ...process.env, GONGZHI_BENCH_DATABASE_URL: postgresTestUrl() }, maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
      );
    });
    results = JSON.parse(readFileSync(out, 'utf8')).results;
  }, 600_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and reports no failed scenario', () => {
    const failed = results.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`);
    expect(failed).toEqual([]);
    expect({ code: exit.code, stderr: exit.code === 0 ? '' : exit.stderr.slice(-4000) }).toEqual({ code: 0, stderr: '' });
  });

  it('has every scenario, each with a finite median', () => {
    const expected = [
      ...sqliteBaselines(SIZES.smoke),
      ...(withPostgres ? postgresBaselines(SIZES.smoke, postgresTestUrl()) : []),
      ...gongzhiScenarios(SIZES.smoke, { pgUrl: withPostgres ? postgresTestUrl() : undefined }),
    ].map((s) => s.id);
    expect(results.map((r) => r.id)).toEqual(expected);
    const notFinite = results.filter((r) => !Number.isFinite(r.median) || r.runs.length === 0).map((r) => r.id);
    expect(notFinite).toEqual([]);
  });

  it('gives a finite ratio for every scenario with a baseline', () => {
    const withBaseline = results.filter((r) => r.baseline);
    expect(withBaseline.length).toBeGreaterThan(0);
    const missing = withBaseline.filter((r) => !Number.isFinite(r.ratio)).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});
