import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privacyStoreOptions } from '@gongzhi/privacy';
import type { PlatformConfig } from '../config';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Narrows a path we own to `mode` when the group or others have any access. A failure (a
 * mounted volume owned by another user) is left alone: what matters sits in files of mode 0600.
 */
const tighten = (path: string, mode: number): void => {
  if (process.platform === 'win32' || !existsSync(path)) return;
  if ((statSync(path).mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  }
};

/** mkdir -p whose new directories are 0700 (mkdir's mode is filtered by the umask, which can only narrow it). */
export const ensurePrivateDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  tighten(dir, PRIVATE_DIR);
};

/**
 * Creates an empty file of mode 0600 unless it exists, so SQLite opens it rather than creating
 * it with the umask's mode (typically 0644); SQLite gives its -wal and -shm files the database
 * file's mode. An existing file of a wider mode is narrowed.
 */
export const ensurePrivateFile = (file: string): void => {
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  tighten(file, PRIVATE_FILE);
  for (const sidecar of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(sidecar, PRIVATE_FILE);
};

/** The SQLite files the configuration puts under DATA_DIR (the stores and the privacy store). */
export const sqliteFilesOf = (config: PlatformConfig): string[] => {
  const files: string[] = [];
  if (config.eventStore.kind === 'sqlite') files.push(config.eventStore.file);
  if (config.readStore.kind === 'sqlite') {
    files.push(config.readStore.file);
    const privacy = privacyStoreOptions({ dataDir: config.dataDir, production: config.production, readStore: config.readStore });
    if ('database' in privacy && privacy.database) files.push(privacy.database);
  }
  return files;
};

/**
 * DATA_DIR holds the event log, the read models, the JWT secret and the privacy keys: the
 * directory is 0700 and every file in it 0600, whatever the umask. Idempotent; run before
 * anything opens or creates a file there.
 */
export const prepareDataDir = (config: PlatformConfig): void => {
  ensurePrivateDir(config.dataDir);
  for (const file of sqliteFilesOf(config)) {
    ensurePrivateDir(join(file, '..'));
    ensurePrivateFile(file);
  }
};
