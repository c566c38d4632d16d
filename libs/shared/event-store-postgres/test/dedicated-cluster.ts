import { isCi } from '@gongzhi/testing';
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the database-level fault tests (RELIABILITY.md 2.4). The
 * shared server on 5432 serves other suites running in parallel, so it is never stopped or
 * restarted; these tests kill and restart a cluster of their own: `initdb` into a temp dir,
 * `pg_ctl start` on a free port on 127.0.0.1 with fsync and synchronous_commit on, and
 * `pg_ctl stop|restart -m immediate` (SIGQUIT to the postmaster: no checkpoint, crash recovery
 * from the WAL at the next start) for the faults.
 *
 * initdb and postgres refuse to run as root: as root, every command runs as the `postgres` user
 * (runuser, else su) in a temp dir owned by it. Every wait is bounded.
 */
export interface DedicatedCluster {
  /** Connection string of the cluster's `postgres` database (trust auth, user postgres). */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl restart -m immediate`: a crash of the server and its recovery, with the same settings. */
  restartImmediate(): Promise<void>;
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** The end of the server log, for failure messages. */
  logTail(lines?: number): string;
  /** Stops the server (immediate) and removes its directory. Idempotent. */
  dispose(): Promise<void>;
}

const PG_CTL_WAIT_S = 30;
/** The exec timeout is a backstop above pg_ctl's own -t wait, so a wedged pg_ctl cannot hang a suite. */
const EXEC_TIMEOUT_MS = (PG_CTL_WAIT_S + 15) * 1000;

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

const versionOf = (name: string): number => Number.parseFloat(name) || 0;

/** The directory holding initdb and pg_ctl: $GONGZHI_PG_BIN, the newest /usr/lib/postgresql/<v>/bin, or PATH. */
const findPgBin = (): string | undefined => {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const fromEnv = process.env.GONGZHI_PG_BIN;
  if (fromEnv) return has(fromEnv) ? fromEnv : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => versionOf(b) - versionOf(a));
    for (const v of versions) if (has(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  return (process.env.PATH ?? '').split(delimiter).find((dir) => dir && has(dir));
};

const findOnPath = (name: string, extra: string[] = []): string | undefined =>
  [...(process.env.PATH ?? '').split(delimiter), ...extra].map((dir) => join(dir, name)).find((p) => p && existsSync(p));

interface RunAs {
  /** Wraps a command so it runs as the cluster's owner. */
  wrap(file: string, args: string[]): [string, string[]];
  uid?: number;
  gid?: number;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const resolveRunAs = (): RunAs | string => {
  if (!isRoot()) return { wrap: (file, args) => [file, args] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { timeout: 5000 }).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { timeout: 5000 }).toString().trim());
  } catch {
    return 'running as root and there is no `postgres` user to run initdb as';
  }
  const runuser = findOnPath('runuser', ['/usr/sbin', '/sbin']);
  if (runuser) return { uid, gid, wrap: (file, args) => [runuser, ['-u', 'postgres', '--', file, ...args]] };
  const su = findOnPath('su', ['/usr/bin', '/bin']);
  if (su) return { uid, gid, wrap: (file, args) => [su, ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(shellQuote).join(' ')]] };
  return 'running as root with neither runuser nor su to switch to the `postgres` user';
};

let probed: { bin: string; runAs: RunAs } | string | undefined;
const probe = (): { bin: string; runAs: RunAs } | string => {
  if (probed === undefined) {
    const bin = findPgBin();
    if (!bin) probed = 'initdb/pg_ctl not found (set GONGZHI_PG_BIN, or install the PostgreSQL server binaries)';
    else {
      const runAs = resolveRunAs();
      probed = typeof runAs === 'string' ? runAs : { bin, runAs };
    }
  }
  return probed;
};

/** Why a dedicated cluster cannot be started here, or undefined when it can. */
export const dedicatedClusterSkipReason = (): string | undefined => {
  const p = probe();
  return typeof p === 'string' ? p : undefined;
};

/**
 * `describe` when initdb is available, else `describe.skip` with the reason printed; under
 * CI=true a missing initdb fails instead (a skip must not hide a broken CI machine).
 */
export const describeWithDedicatedCluster = (): jest.Describe => {
  const reason = dedicatedClusterSkipReason();
  if (!reason) return describe;
  if (isCi()) throw new Error(`CI=true and no dedicated PostgreSQL cluster can be started: ${reason}`);
  console.warn(`SKIPPED database-fault tests (dedicated PostgreSQL cluster): ${reason}`);
  return describe.skip;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const run = (file: string, args: string[], cwd: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: EXEC_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[file, ...args].join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });

const DIR_PREFIX = 'gongzhi-pg-';
const OWNER_FILE = 'owner.pid';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Stops and removes clusters left behind by a test process that was killed (a SIGKILLed jest
 * worker runs no afterAll and no exit handler). Each cluster dir records its owner's pid.
 */
const reapOrphans = (bin: string, runAs: RunAs): void => {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    try {
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
        const [f, a] = runAs.wrap(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', '-t', '10', 'stop']);
        execFileSync(f, a, { cwd: tmpdir(), timeout: 15_000, stdio: 'ignore' });
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Someone else's, or already gone: leave it.
    }
  }
};

/** Starts a fresh cluster. Settings are written to postgresql.conf, so a restart keeps them. */
export const startDedicatedCluster = async (settings: Record<string, string | number> = {}): Promise<DedicatedCluster> => {
  const p = probe();
  if (typeof p === 'string') throw new Error(`No dedicated cluster: ${p}`);
  const { bin, runAs } = p;
  reapOrphans(bin, runAs);
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pgCtl = join(bin, 'pg_ctl');
  const as = (file: string, args: string[]) => {
    const [f, a] = runAs.wrap(file, args);
    return run(f, a, dir);
  };
  const ctl = (args: string[]) => as(pgCtl, ['-D', data, '-w', '-t', String(PG_CTL_WAIT_S), ...args]);

  let running = false;
  let disposed = false;
  // A suite that dies without its afterAll must not leave a server behind.
  const stopNow = () => {
    try {
      const [f, a] = runAs.wrap(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
      execFileSync(f, a, { cwd: dir, timeout: 10_000, stdio: 'ignore' });
    } catch {
      // Best effort: at exit, or after a failed start that may have left a server up.
    }
  };
  const onExit = () => {
    if (running) stopNow();
  };

  const logTail = (lines = 30): string => {
    try {
      return readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  };

  try {
    // --no-sync: initdb's own files need no fsync for a throwaway cluster; the server itself
    // runs with fsync and synchronous_commit on.
    await as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const conf = join(data, 'postgresql.conf');
    const base: Record<string, string | number> = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      max_connections: 40,
      shared_buffers: "'32MB'",
      ...settings,
    };
    appendFileSync(conf, `\n# gongzhi dedicated test cluster\n${Object.entries(base).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // Later lines win in postgresql.conf: a retry after a port race just appends another.
      appendFileSync(conf, `port = ${port}\n`);
      try {
        await ctl(['-l', log, 'start']);
        break;
      } catch (e) {
        if (attempt >= 3) throw new Error(`${(e as Error).message}\n--- server log ---\n${logTail()}`);
      }
    }
    running = true;
    process.once('exit', onExit);

    const cluster: DedicatedCluster = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      restartImmediate: async () => {
        await ctl(['-l', log, '-m', 'immediate', 'restart']);
        running = true;
      },
      stopImmediate: async () => {
        await ctl(['-m', 'immediate', 'stop']);
        running = false;
      },
      start: async () => {
        await ctl(['-l', log, 'start']);
        running = true;
      },
      logTail,
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        process.removeListener('exit', onExit);
        if (running) await ctl(['-m', 'immediate', 'stop']).catch(() => undefined);
        running = false;
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return cluster;
  } catch (e) {
    if (existsSync(join(data, 'postmaster.pid'))) stopNow();
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
};
