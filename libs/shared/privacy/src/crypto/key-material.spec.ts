import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { keyId, KeyMaterialError, loadPrivacyKeys } from './key-material';

describe('loadPrivacyKeys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gongzhi-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes both keys from the environment', () => {
    const kek = randomBytes(32);
    const index = randomBytes(32);
    const keys = loadPrivacyKeys({ env: { GONGZHI_KEK: kek.toString('base64'), GONGZHI_INDEX_KEY: index.toString('base64') } });
    expect(keys.kek.equals(kek)).toBe(true);
    expect(keys.indexKey.equals(index)).toBe(true);
  });

  it('generates key files in the data dir with mode 0600 and reuses them on the next start', () => {
    const first = loadPrivacyKeys({ env: {}, dataDir: dir, generate: true });
    const kekFile = join(dir, 'keys', 'kek.key');
    expect(statSync(kekFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys', 'index.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o077).toBe(0);
    expect(Buffer.from(readFileSync(kekFile, 'utf8').trim(), 'base64').equals(first.kek)).toBe(true);
    const second = loadPrivacyKeys({ env: {}, dataDir: dir, generate: true });
    expect(keyId(second.kek)).toBe(keyId(first.kek));
    expect(first.kek.equals(first.indexKey)).toBe(false);
  });

  it('does not generate keys unless told to (a production deployment must bring its own)', () => {
    expect(() => loadPrivacyKeys({ env: {}, dataDir: dir })).toThrow(/Set GONGZHI_KEK or GONGZHI_KEK_FILE/);
  });

  it('refuses a key file that other users can read', () => {
    const file = join(dir, 'kek');
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    expect(() => loadPrivacyKeys({ env: { GONGZHI_KEK_FILE: file, GONGZHI_INDEX_KEY: randomBytes(32).toString('base64') } })).toThrow(
      /chmod 600/,
    );
  });

  it('refuses keys of the wrong size, and the same key for both roles, without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    try {
      loadPrivacyKeys({ env: { GONGZHI_KEK: short, GONGZHI_INDEX_KEY: short } });
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(KeyMaterialError);
      expect((e as Error).message).not.toContain(short);
    }
    const same = randomBytes(32).toString('base64');
    expect(() => loadPrivacyKeys({ env: { GONGZHI_KEK: same, GONGZHI_INDEX_KEY: same } })).toThrow(/must differ/);
  });
});
