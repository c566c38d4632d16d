/**
 * `npm run bench [-- --quick|--smoke] [--only=substring] [--out=bench-results.json]`
 * Prints a table (median, min–max, ratio to the baseline of the same run) and writes JSON.
 */
import { writeFileSync } from 'node:fs';
import { attachRatios, Result, runRounds, Scenario, table } from './harness';
import { postgresBaselines, sqliteBaselines } from './baselines';
import { gongzhiScenarios } from './scenarios';
import { PAYLOAD_BYTES, SIZES } from './workload';
import { Client } from 'pg';

const args = process.argv.slice(2);
const mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'bench-results.json';
const pgUrl = process.env.GONGZHI_BENCH_DATABASE_URL ?? process.env.GONGZHI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gongzhi_test';

/** Connects to the server's `postgres` database and creates the bench database when missing. */
async function postgresReachable(): Promise<boolean> {
  const admin = new URL(pgUrl);
  const dbName = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (exists.rowCount === 0) await c.query(`CREATE DATABASE "${dbName.replace(/"/g, '')}"`);
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function main(): Promise<Result[]> {
  const sizes = SIZES[mode];
  const started = Date.now();
  const log = (line: string) => process.stderr.write(line + '\n');
  const withPg = !args.includes('--no-postgres') && (await postgresReachable());
  log(`gongzhi bench: mode=${mode}, payload ${PAYLOAD_BYTES} bytes, ${sizes.events} events over ${sizes.streams} streams, ${sizes.repeats} runs each${withPg ? '' : ' (PostgreSQL unreachable: SQLite only)'}`);
  const all: Scenario[] = [
    ...sqliteBaselines(sizes),
    ...(withPg ? postgresBaselines(sizes, pgUrl) : []),
    ...gongzhiScenarios(sizes, { pgUrl: withPg ? pgUrl : undefined }),
  ];
  // --only keeps the baselines of the scenarios it selects, so their ratios are still printed.
  const selected = new Set(all.filter((s) => !only || s.id.includes(only)).flatMap((s) => (s.baseline ? [s.id, s.baseline] : [s.id])));
  const scenarios = all.filter((s) => selected.has(s.id));
  // A baseline runs in rounds with the scenarios compared with it (harness.ts, runRounds); the
  // table keeps the declared order.
  const groups: Scenario[][] = [];
  const groupOf = new Map<string, Scenario[]>();
  for (const s of scenarios) {
    const joined = s.baseline ? groupOf.get(s.baseline) : undefined;
    if (joined) joined.push(s);
    else {
      const group = [s];
      groups.push(group);
      groupOf.set(s.id, group);
    }
  }
  const byId = new Map<string, Result>();
  for (const group of groups) {
    const t = Date.now();
    log(group.map((s) => `${s.id}: ${s.title}`).join('\n'));
    for (const r of await runRounds(group, sizes.repeats, log)) byId.set(r.id, r);
    log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  const results = scenarios.map((s) => byId.get(s.id) as Result);
  attachRatios(results);
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\n${table(results)}\n\n${mode} run, ${seconds}s, node ${process.version}\n`);
  writeFileSync(out, JSON.stringify({ mode, sizes, payloadBytes: PAYLOAD_BYTES, seconds, node: process.version, at: new Date().toISOString(), results }, null, 2));
  return results;
}

if (require.main === module) {
  main().then(
    (results) => process.exit(results.some((r) => r.error) ? 1 : 0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
