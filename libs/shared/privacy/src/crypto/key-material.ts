import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { KEY_BYTES } from './aead';

/**
 * The two secrets of the vault, both held outside the database (RELIABILITY.md §4.2):
 * - the KEK wraps every subject's data key; whoever has the database but not the KEK reads nothing;
 * - the index key computes blind indexes. It is separate because ID numbers have little entropy:
 *   a leaked index key lets anyone test all ~10^10 plausible numbers against the index.
 */
export interface PrivacyKeys {
  kek: Buffer;
  indexKey: Buffer;
}

export class KeyMaterialError extends Error {
  readonly code = 'PRIVACY.KEY_MATERIAL';
  constructor(message: string) {
    super(message);
    this.name = 'KeyMaterialError';
  }
}

/** A short public name of a key (not reversible), stored beside what it wrapped so a wrong KEK fails clearly. */
export const keyId = (key: Buffer): string => createHmac('sha256', key).update('gongzhi.key-id').digest('hex').slice(0, 16);

const decodeKey = (text: string, source: string): Buffer => {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
    throw new KeyMaterialError(`${source} must be ${KEY_BYTES} bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
};

const readKeyFile = (path: string, source: string): Buffer => {
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    // Like ssh with a private key: a key others can read is refused rather than silently used.
    if ((mode & 0o077) !== 0) {
      throw new KeyMaterialError(`${source} ${path} is accessible to other users (mode ${mode.toString(8)}); run chmod 600 on it`);
    }
  }
  return decodeKey(readFileSync(path, 'utf8'), `${source} ${path}`);
};

/**
 * Creates a key file atomically (`wx`: if two processes race, one writes and both read the same
 * key) with mode 0600 in a directory of mode 0700.
 */
const createKeyFile = (path: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600); // the umask may have narrowed, never widened; make it exact anyway
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
};

export interface LoadPrivacyKeysOptions {
  env?: Record<string, string | undefined>;
  /** Where the embedded default keeps generated key files (`<dataDir>/keys/`). */
  dataDir?: string;
  /** Generate missing key files. The embedded default does; a production deployment must not. */
  generate?: boolean;
}

/** Names of the variables and files, for the configuration help and error messages. */
export const PRIVACY_KEY_VARIABLES: ReadonlyArray<[name: string, meaning: string]> = [
  ['GONGZHI_KEK', 'Key-encryption key: 32 bytes, base64. Default: DATA_DIR/keys/kek.key (generated, mode 0600) unless PRODUCTION'],
  ['GONGZHI_KEK_FILE', 'Path of a file holding the KEK (base64), instead of GONGZHI_KEK'],
  ['GONGZHI_INDEX_KEY', 'Blind-index key: 32 bytes, base64, different from the KEK. Default: DATA_DIR/keys/index.key'],
  ['GONGZHI_INDEX_KEY_FILE', 'Path of a file holding the blind-index key, instead of GONGZHI_INDEX_KEY'],
];

const loadOne = (
  env: Record<string, string | undefined>,
  varName: string,
  fileVar: string,
  defaultFile: string | undefined,
  generate: boolean,
): Buffer => {
  const inline = env[varName];
  if (inline !== undefined && inline.trim() !== '') return decodeKey(inline, varName);
  const file = env[fileVar]?.trim();
  if (file) {
    if (!existsSync(file)) throw new KeyMaterialError(`${fileVar}: no such file ${file}`);
    return readKeyFile(file, fileVar);
  }
  if (!defaultFile) throw new KeyMaterialError(`Set ${varName} or ${fileVar}`);
  if (!existsSync(defaultFile)) {
    if (!generate) throw new KeyMaterialError(`Set ${varName} or ${fileVar} (no key file at ${defaultFile})`);
    createKeyFile(defaultFile);
  }
  return readKeyFile(defaultFile, 'Key file');
};

export const loadPrivacyKeys = (options: LoadPrivacyKeysOptions = {}): PrivacyKeys => {
  const env = options.env ?? process.env;
  const dir = options.dataDir ? join(options.dataDir, 'keys') : undefined;
  const generate = options.generate ?? false;
  const kek = loadOne(env, 'GONGZHI_KEK', 'GONGZHI_KEK_FILE', dir && join(dir, 'kek.key'), generate);
  const indexKey = loadOne(env, 'GONGZHI_INDEX_KEY', 'GONGZHI_INDEX_KEY_FILE', dir && join(dir, 'index.key'), generate);
  if (kek.equals(indexKey)) throw new KeyMaterialError('The blind-index key must differ from the KEK');
  return { kek, indexKey };
};

/** Fresh random keys, for tests and throw-away demos. */
export const randomPrivacyKeys = (): PrivacyKeys => ({ kek: randomBytes(KEY_BYTES), indexKey: randomBytes(KEY_BYTES) });
