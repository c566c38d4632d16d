import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JwtService } from '@nestjs/jwt';
import { runCli } from './cli';
import type { Io } from './io';

/** The `gongzhi` command in-process, against a temporary DATA_DIR (the embedded stores). */
describe('gongzhi CLI (embedded stores)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: Io = { out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (err += `${t}\n`), isTty: false };
    const code = await runCli(argv, io, env);
    return { code, out, err };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongzhi-cli-'));
    env = { DATA_DIR: dir, LOG_LEVEL: 'error' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mints a token with the development secret it generates in DATA_DIR (mode 0600)', async () => {
    const r = await run('token', '--sub', 'wujiang-admin', '--roles', 'admin,analyst', '--org-unit', 'wujiang', '--ttl', '1h');
    expect(r.code).toBe(0);
    const secretFile = join(dir, 'jwt-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const claims = new JwtService({}).verify(r.out.trim(), { secret: readFileSync(secretFile, 'utf8').trim(), algorithms: ['HS256'] });
    expect(claims).toMatchObject({ sub: 'wujiang-admin', roles: ['admin', 'analyst'], orgUnit: 'wujiang' });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('refuses an unknown role and a missing option with a usage error', async () => {
    expect((await run('token', '--sub', 'x', '--roles', 'king', '--org-unit', 'wujiang')).code).toBe(2);
    expect((await run('token', '--sub', 'x')).code).not.toBe(0);
  });

  it('seeds the demo organisation through the command path, idempotently', async () => {
    const first = await run('seed', '--demo');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/22 org units, 34 staff members\. 90 event\(s\) appended, 0 command\(s\) already done/);
    expect(first.out).toMatch(/Labor disputes: 22 \(238 event\(s\) appended, 0 command\(s\) already done\)/);
    expect(first.out).toMatch(/Youth League: 2 campaigns, 4 volunteer activities, 6 volunteers \(107 event\(s\) appended, 0 command\(s\) already done\)/);
    expect(first.out).toMatch(/Community: 15 grids, 33 incidents \(216 event\(s\) appended, 0 command\(s\) already done\)/);
    const second = await run('seed', '--demo');
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 event\(s\) appended, 90 command\(s\) already done/);
    expect(second.out).toMatch(/Labor disputes: 22 \(0 event\(s\) appended/);
    expect(second.out).toMatch(/Youth League: 2 campaigns, 4 volunteer activities, 6 volunteers \(0 event\(s\) appended/);
    expect(second.out).toMatch(/Community: 15 grids, 33 incidents \(0 event\(s\) appended/);
  });

  it('prints a stream’s history with the hash-chain check', async () => {
    const r = await run('history', 'org.org-unit-songling-aolin-qinghua');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OrgUnitCreated\s+\S+\s+gongzhi-cli-seed\s+true/);
    expect((await run('history', 'org.org-unit-nowhere')).code).toBe(1);
  });

  it('lists projections caught up, and rebuilds one', async () => {
    const list = await run('projections', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^org\s+running\s+1\s+0\s+668\s+668\s+0\b/m);
    const rebuild = await run('projections', 'rebuild', 'org');
    expect(rebuild.code).toBe(0);
    expect(rebuild.out).toMatch(/Projection org rebuilt: generation 1, checkpoint 668/);
    const db = new Database(join(dir, 'read.sqlite'), { readonly: true });
    try {
      const names = db.prepare('SELECT name FROM org_units ORDER BY path').all() as { name: string }[];
      expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['吳江市', '松陵辦事處', '水鄉社區', '奧林清華社區', '汝城縣總工會', '共青團貴州省委']));
      // The 22 demo units, plus the community demo's 2 handling units and 15 grids.
      expect(names).toHaveLength(39);
    } finally {
      db.close();
    }
    expect((await run('projections', 'rebuild', 'nope')).code).toBe(2);
  });

  it('verifies every hash chain, and exits 1 once an event was tampered with', async () => {
    const ok = await run('verify', '--all');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/156 stream\(s\), 668 event\(s\) checked: hash chains intact/);

    const db = new Database(join(dir, 'events.sqlite'));
    try {
      db.prepare("UPDATE events SET data = json_set(data, '$.name', '篡改') WHERE stream_id = ? AND revision = 0").run('org.org-unit-songling-beimen');
    } finally {
      db.close();
    }
    const one = await run('verify', 'org.org-unit-songling-beimen');
    expect(one.code).toBe(1);
    expect(one.out).toMatch(/BROKEN org\.org-unit-songling-beimen: revision 0 .*hash_mismatch/);
    const all = await run('verify', '--all');
    expect(all.code).toBe(1);
    expect(all.out).toMatch(/1 broken/);
    expect((await run('history', 'org.org-unit-songling-beimen')).code).toBe(1);
  });

  it('reports a bad configuration clearly, with exit code 2', async () => {
    const saved = env;
    env = { ...env, EVENT_STORE: 'mysql', GONGZHI_INDEX_KEY: 'too-short' };
    try {
      const r = await run('projections', 'list');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/EVENT_STORE must be one of sqlite, postgres, esdb \(got "mysql"\)/);
      expect(r.err).toContain('GONGZHI_INDEX_KEY must be 32 bytes, base64-encoded');
    } finally {
      env = saved;
    }
  });
});
