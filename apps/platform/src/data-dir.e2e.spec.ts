import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@gongzhi/auth';
import { E2eApp } from './testing/e2e-harness';

const modesUnder = (dir: string): Array<{ path: string; dir: boolean; mode: number }> => {
  const out = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modesUnder(path));
    else out.push({ path, dir: false, mode: statSync(path).mode & 0o777 });
  }
  return out;
};

const CREATE = 'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { revision } }';

/**
 * DATA_DIR holds the event log, read models, privacy keys and JWT secret: 0700 directories and
 * 0600 files, under the usual umask of 022, for a fresh directory and for one an older version
 * left readable by others.
 */
describe('DATA_DIR file modes (e2e)', () => {
  const root = mkdtempSync(join(tmpdir(), 'gongzhi-modes-'));
  let savedUmask: number;

  beforeAll(() => {
    savedUmask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(savedUmask);
    rmSync(root, { recursive: true, force: true });
  });

  const exercise = async (dataDir: string) => {
    const e = await E2eApp.start({ DATA_DIR: dataDir });
    try {
      const admin = e.token('operator', [Role.Admin], 'root');
      const r = await e.gql(CREATE, { input: { orgUnitId: 'modes-unit', name: '權限測試', kind: 'COMMUNITY' } }, { Authorization: admin });
      expect(r.body.errors).toBeUndefined();
      await e.settle();
      return modesUnder(dataDir);
    } finally {
      await e.close();
    }
  };

  it('creates a fresh DATA_DIR as 0700 with every file in it 0600 (SQLite files, their WAL, secrets, keys)', async () => {
    const modes = await exercise(join(root, 'fresh', 'data'));
    const names = modes.map((m) => m.path.slice(root.length));
    expect(names).toEqual(
      expect.arrayContaining([
        '/fresh/data/events.sqlite',
        '/fresh/data/events.sqlite-wal',
        '/fresh/data/read.sqlite',
        '/fresh/data/read.sqlite-wal',
        '/fresh/data/privacy.sqlite',
        '/fresh/data/jwt-secret',
        '/fresh/data/keys/kek.key',
        '/fresh/data/keys/index.key',
      ]),
    );
    expect(modes.filter((m) => m.mode !== (m.dir ? 0o700 : 0o600)).map((m) => `${m.path} ${m.mode.toString(8)}`)).toEqual([]);
  });

  it('narrows a DATA_DIR and store files that an older version left readable by others', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'read.sqlite'), '', { mode: 0o644 });
    chmodSync(join(dataDir, 'read.sqlite'), 0o644);
    const modes = await exercise(dataDir);
    expect(modes.filter((m) => m.mode !== (m.dir ? 0o700 : 0o600)).map((m) => `${m.path} ${m.mode.toString(8)}`)).toEqual([]);
  });
});
