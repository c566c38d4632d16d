/**
 * `npm run bench [-- --quick|--smoke] [--only=substring] [--out=bench-results.json]`
 * Prints a table (median, min–max, ratio to the baseline of the same run) and writes JSON.
 */
import { writeFileSync } from 'node:fs';
import { attachRatios, Result, runScenario, Scenario, table } from './harness';
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
  const scenarios: Scenario[] = [
    ...sqliteBaselines(sizes),
    ...(withPg ? postgresBaselines(sizes, pgUrl) : []),
    ...gongzhiScenarios(sizes, { pgUrl: withPg ? pgUrl : undefined }),
  ].filter((s) => !only || s.id.includes(only));
  const results: Result[] = [];
  for (const s of scenarios) {
    log(`${s.id}: ${s.title}`);
    results.push(await runScenario(s, sizes.repeats, log));
  }
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
