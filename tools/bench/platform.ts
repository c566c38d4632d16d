import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { mintDevelopmentToken, Role } from '@gongzhi/auth';
import { loadConfig } from '../../apps/platform/src/config';
import { createPlatformApp } from '../../apps/platform/src/app.factory';
import { elapsedMs, percentile, type Scenario } from './harness';
import { benchName, withPgClient } from './stores';
import { runConcurrent, type Sizes } from './workload';

const CREATE = 'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { revision } }';
const QUERY = 'query($id: ID!) { orgUnit(id: $id) { id name revision } }';

/**
 * The platform as `npm start` builds it (same factory, same modules, request logging on at
 * info into a sink that drops it), listening on a loopback port and driven over real HTTP.
 * `postgres`: both stores on PostgreSQL, in a database of its own that is dropped afterwards.
 */
class RunningPlatform {
  private app!: INestApplication;
  private dir!: string;
  private database?: { admin: string; name: string };
  private url!: string;
  private auth!: string;

  static async start(pgUrl?: string): Promise<RunningPlatform> {
    const p = new RunningPlatform();
    p.dir = mkdtempSync(join(tmpdir(), 'gz-bench-platform-'));
    const secret = randomBytes(32).toString('hex');
    const env: Record<string, string> = { DATA_DIR: p.dir, JWT_SECRET: secret, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' };
    if (pgUrl) {
      const admin = new URL(pgUrl);
      admin.pathname = '/postgres';
      const name = benchName('gz_bench_platform');
      await withPgClient(admin.toString(), (c) => c.query(`CREATE DATABASE "${name}"`));
      p.database = { admin: admin.toString(), name };
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      Object.assign(env, { EVENT_STORE: 'postgres', READ_STORE: 'postgres', DATABASE_URL: url.toString() });
    }
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    try {
      p.app = await createPlatformApp(loadConfig(env), { logDestination: sink });
      await p.app.listen(0, '127.0.0.1');
    } catch (e) {
      await p.close();
      throw e;
    }
    const { port } = p.app.getHttpServer().address() as AddressInfo;
    p.url = `http://127.0.0.1:${port}/graphql`;
    p.auth = `Bearer ${mintDevelopmentToken({ sub: 'bench-admin', roles: [Role.Admin], orgUnit: 'root' }, secret, '1h')}`;
    return p;
  }

  async gql(query: string, variables: Record<string, unknown>): Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: this.auth },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any;
  }

  async createUnit(id: string): Promise<void> {
    const r = await this.gql(CREATE, { input: { orgUnitId: id, name: `單位 ${id}`, kind: 'COMMUNITY', commandId: randomUUID() } });
    if (r.errors || !r.data) throw new Error(`createOrgUnit failed: ${JSON.stringify(r.errors)}`);
  }

  /** True once the read model answers for the unit; NOT_FOUND before its projection caught up. */
  async visible(id: string): Promise<boolean> {
    const r = await this.gql(QUERY, { id });
    if (r.data?.orgUnit?.id === id) return true;
    const code = r.errors?.[0]?.extensions?.code;
    if (code !== 'NOT_FOUND') throw new Error(`orgUnit query failed: ${JSON.stringify(r.errors)}`);
    return false;
  }

  async close(): Promise<void> {
    await this.app?.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
    if (this.database) {
      const { admin, name } = this.database;
      await withPgClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
    }
  }
}

let unitCounter = 0;
const unitId = () => `bench-${process.pid}-${++unitCounter}`;

/** Mutation until its effect is visible in a query, and mutations per second with 8 clients. */
export function platformScenarios(sizes: Sizes, kind: 'sqlite' | 'pg', pgUrl?: string): Scenario[] {
  const label = kind === 'sqlite' ? 'embedded SQLite stores' : 'PostgreSQL stores';
  let platform: RunningPlatform | undefined;
  const setup = async () => {
    platform = await RunningPlatform.start(kind === 'pg' ? pgUrl : undefined);
    // Warm-up: first requests compile schemas, open pools and prepare statements.
    for (let i = 0; i < 10; i++) {
      const id = unitId();
      await platform.createUnit(id);
      while (!(await platform.visible(id)));
    }
  };
  const teardown = async () => {
    await platform?.close();
    platform = undefined;
  };
  return [
    {
      id: `platform-${kind}-visible`,
      title: `platform (${label}): createOrgUnit mutation until orgUnit query sees it, p99 (one client)`,
      unit: 'ms',
      better: 'lower',
      target: { absolute: 50, note: 'p99 < 50 ms on a quiet machine' },
      setup,
      run: async () => {
        const p = platform as RunningPlatform;
        const times: number[] = [];
        const mutations: number[] = [];
        let polls = 0;
        for (let k = 0; k < sizes.e2eMutations; k++) {
          const id = unitId();
          const t = process.hrtime.bigint();
          await p.createUnit(id);
          mutations.push(elapsedMs(t));
          for (;;) {
            polls++;
            if (await p.visible(id)) break;
            if (elapsedMs(t) > 10_000) throw new Error(`${id} not visible after 10 s`);
          }
          times.push(elapsedMs(t));
        }
        return {
          value: percentile(times, 99),
          extra: { p50: percentile(times, 50), 'mutation p50': percentile(mutations, 50), 'queries/mutation': polls / sizes.e2eMutations },
        };
      },
      teardown,
    },
    {
      id: `platform-${kind}-mutations-8`,
      title: `platform (${label}): createOrgUnit mutations/s, 8 concurrent clients`,
      unit: 'mutations/s',
      better: 'higher',
      setup,
      run: async () => {
        const p = platform as RunningPlatform;
        const n = sizes.e2eMutations * 2;
        const t = process.hrtime.bigint();
        await runConcurrent(n, 8, () => p.createUnit(unitId()));
        return { value: (n / elapsedMs(t)) * 1000 };
      },
      teardown,
    },
  ];
}
