import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Role } from '@gongzhi/auth';
import { withWriteLock } from '@gongzhi/projections';
import { formatOracleReport, type OracleReport } from '@gongzhi/projections/testing';
import { ProjectionsHost } from '@gongzhi/platform-core';
import { codesOf, E2eApp } from './testing/e2e-harness';
import { compareAppWithRebuild } from './testing/read-model-oracle';

const ROOT = resolve(__dirname, '..', '..', '..');
const RESULT = '{ aggregateId streamId revision events { id type position } }';
const M = (name: string, input: string) => `mutation($i: ${input}!) { ${name}(input: $i) ${RESULT} }`;

/** `gongzhi seed --demo` as an operator runs it: another process, on the running platform's DATA_DIR. */
const seedDemo = (dataDir: string): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'bin', 'gongzhi.js'), 'seed', '--demo'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });

/**
 * The oracle check of RELIABILITY.md §2 on the whole platform: after the full demo seed and a
 * round of GraphQL work (an org-unit move whose paths every context re-projects, a conflict, an
 * idempotent resend, work in the moved unit, an erasure), every registered projection rebuilt
 * from position 0 into a fresh read store equals, row for row, what the platform maintained
 * incrementally (SP-4). And the check can fail: one corrupted row is reported by table and key.
 */
describe('read models equal a rebuild from the log (oracle, e2e)', () => {
  let e: E2eApp;
  let admin: string;

  const ok = async (query: string, i: unknown, token = admin) => {
    const r = await e.gql(query, { i }, { Authorization: token });
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };
  const oracle = (): Promise<OracleReport> => compareAppWithRebuild(e.app, { timeoutMs: 20_000 });

  beforeAll(async () => {
    e = await E2eApp.start();
    admin = e.token('operator', [Role.Admin], 'root');
  });
  afterAll(() => e?.close());

  it('seeds the demo of every context from a second process while the platform runs', async () => {
    const seeded = await seedDemo(e.dataDir);
    expect({ code: seeded.code, err: seeded.err }).toEqual({ code: 0, err: '' });
    expect(seeded.out).toMatch(/22 org units, 34 staff members\. 90 event\(s\) appended/);
    expect(seeded.out).toMatch(/Labor disputes: 22 \(238 event\(s\) appended/);
    expect(seeded.out).toMatch(/Youth League: 2 campaigns, 4 volunteer activities, 6 volunteers \(107 event\(s\) appended/);
    expect(seeded.out).toMatch(/Community: 15 grids, 33 incidents \(216 event\(s\) appended/);
    await e.settle();
  });

  it('takes a round of GraphQL work: a move, a conflict, an idempotent resend, work in the moved unit, an erasure', async () => {
    // 二村社區 (its grid, its incidents, its 愛心時間銀行) moves out from under 松陵辦事處.
    const moved = await ok(M('moveOrgUnit', 'MoveOrgUnitInput'), { orgUnitId: 'songling-ercun', newParentId: 'wujiang', expectedRevision: 0 });
    expect(moved.moveOrgUnit.revision).toBe(1);

    const head = await e.store.headPosition();
    const stale = await e.gql(M('renameOrgUnit', 'RenameOrgUnitInput'), { i: { orgUnitId: 'songling-ercun', name: '二村', expectedRevision: 0 } }, { Authorization: admin });
    expect(codesOf(stale)).toEqual(['CONFLICT']);
    expect(stale.body.errors?.[0].extensions).toMatchObject({ expected: 0, actual: 1 });

    const rename = { orgUnitId: 'songling-ercun', name: '二村社區（吳江直管）', expectedRevision: 1, commandId: randomUUID() };
    const first = await e.gql(M('renameOrgUnit', 'RenameOrgUnitInput'), { i: rename }, { Authorization: admin });
    expect(first.body.errors).toBeUndefined();
    const afterFirst = await e.store.headPosition();
    expect(afterFirst).toBeGreaterThan(head);
    const resent = await e.gql(M('renameOrgUnit', 'RenameOrgUnitInput'), { i: rename }, { Authorization: admin });
    expect(resent.body).toEqual(first.body);
    expect(await e.store.headPosition()).toBe(afterFirst);

    // Work in the moved community, after the move: a new incident, an exchange in its time bank.
    await ok(M('reportIncident', 'ReportIncidentInput'), {
      channel: 'GRID_PATROL',
      gridId: 'songling-ercun-g1',
      description: '樓道堆放雜物',
      location: { address: '二村社區 12 幢 2 單元' },
    });
    await ok(M('exchangeHours', 'ExchangeHoursInput'), {
      bankId: 'ercun-time-bank',
      fromAccountId: 'aunt-zhang',
      toAccountId: 'chen',
      minutes: 30,
      memo: '陪同就醫',
    });
    // And in the other contexts.
    await ok(M('acceptMediation', 'DisputeStepInput'), { disputeId: 'demo-rc-002' });

    // 陳 (a volunteer and a time-bank member) asks to be forgotten.
    await e.settle();
    const { volunteer } = await ok('query($i: ID!) { volunteer(id: $i) { subjectId } }', 'ercun-vol-chen');
    const forgotten = await ok('mutation($i: ForgetSubjectInput!) { forgetSubject(input: $i) { subjectId erasedNow } }', {
      subjectId: volunteer.subjectId,
      basis: 'PIPL Art 47(1): oracle e2e',
    });
    expect(forgotten.forgetSubject).toEqual({ subjectId: volunteer.subjectId, erasedNow: true });
  });

  it('catches up: every projection running with lag 0, and the move re-projected in every context', async () => {
    await e.settle();
    const reports = await e.app.get(ProjectionsHost).reports();
    expect(reports.length).toBeGreaterThanOrEqual(10);
    for (const r of reports) expect({ projection: r.projection, status: r.status, behind: r.lag.eventsBehind }).toEqual({ projection: r.projection, status: 'running', behind: 0 });
    const ds = e.app.get(ProjectionsHost).readStore;
    const paths = async (sql: string) => ((await ds.query(sql)) as Array<{ p: string }>).map((r) => r.p);
    expect(await paths("SELECT path AS p FROM org_units WHERE id = 'songling-ercun-g1'")).toEqual(['/wujiang/songling-ercun/songling-ercun-g1/']);
    expect(await paths("SELECT owning_org_path AS p FROM league_time_banks WHERE id = 'ercun-time-bank'")).toEqual(['/wujiang/songling-ercun/']);
    expect(await paths("SELECT DISTINCT owning_org_path AS p FROM community_grids WHERE community_id = 'songling-ercun'")).toEqual([
      '/wujiang/songling-ercun/songling-ercun-g1/',
    ]);
  });

  it('the oracle finds every read model equal to its rebuild from position 0', async () => {
    const head = await e.store.headPosition();
    const report = await oracle();
    expect(formatOracleReport(report)).toMatch(/^read models equal a rebuild/);
    expect(report).toMatchObject({ equal: true, position: head, headBefore: head, headAfter: head, failures: [], differences: [] });
    // Every projection that owns tables was compared, and none trivially (the seed fills them all).
    const byProjection = new Map<string, number>();
    for (const t of report.tables) byProjection.set(t.projection, (byProjection.get(t.projection) ?? 0) + t.incrementalRows);
    const names = [...e.app.get(ProjectionsHost).runners.keys()];
    for (const name of names.filter((n) => n !== 'privacy.subject-erasure')) expect([name, (byProjection.get(name) ?? 0) > 0]).toEqual([name, true]);
    expect(report.tables.reduce((n, t) => n + t.incrementalRows, 0)).toBeGreaterThan(300);
  });

  it('and it can fail: one row corrupted with SQL is reported by exactly its table, key and column', async () => {
    const ds = e.app.get(ProjectionsHost).readStore;
    await withWriteLock(ds, () => ds.query('UPDATE league_time_banks SET owning_org_path = ? WHERE id = ?', ['/wujiang/songling/songling-ercun/', 'ercun-time-bank']));
    const report = await oracle();
    expect(report.equal).toBe(false);
    expect(report.failures).toEqual([]);
    expect(report.differences).toEqual([
      {
        projection: expect.any(String),
        table: 'league_time_banks',
        key: { id: 'ercun-time-bank' },
        kind: 'changed',
        columns: [{ column: 'owning_org_path', incremental: '/wujiang/songling/songling-ercun/', rebuilt: '/wujiang/songling-ercun/' }],
      },
    ]);
    expect(report.tables.filter((t) => t.differences > 0).map((t) => t.table)).toEqual(['league_time_banks']);
  });
});
