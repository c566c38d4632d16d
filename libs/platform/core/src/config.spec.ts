import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig } from './config';

describe('platform configuration', () => {
  it('defaults to the embedded stores under ./data, development mode, port 4000', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      port: 4000,
      production: false,
      dataDir: '/srv/app/data',
      eventStore: { kind: 'sqlite', file: '/srv/app/data/events.sqlite' },
      readStore: { kind: 'sqlite', file: '/srv/app/data/read.sqlite' },
      jwt: { algorithm: 'HS256' },
    });
    expect(c.jwt).not.toHaveProperty('secret');
    expect(c).toMatchObject({
      requestTimeoutMs: 30_000,
      readStoreStatementTimeoutMs: 10_000,
      rateLimit: { userCostPerMinute: 60_000, ipCostPerMinute: 240_000 },
    });
  });

  it('reads the time limits and query budgets, refusing values out of range', () => {
    expect(
      loadConfig({ REQUEST_TIMEOUT_MS: '5000', READ_STORE_STATEMENT_TIMEOUT_MS: '0', RATE_LIMIT_USER: '0', RATE_LIMIT_IP: '1000' }),
    ).toMatchObject({ requestTimeoutMs: 5000, readStoreStatementTimeoutMs: 0, rateLimit: { userCostPerMinute: 0, ipCostPerMinute: 1000 } });
    let message = '';
    try {
      loadConfig({ REQUEST_TIMEOUT_MS: '10', RATE_LIMIT_USER: 'lots', READ_STORE_STATEMENT_TIMEOUT_MS: '-1' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('REQUEST_TIMEOUT_MS must be an integer 100–600000 (got "10")');
    expect(message).toContain('RATE_LIMIT_USER must be an integer');
    expect(message).toContain('READ_STORE_STATEMENT_TIMEOUT_MS must be an integer 0–600000 (got "-1")');
  });

  it('takes production mode only from PRODUCTION, never from NODE_ENV', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(false);
    const keys = { GONGZHI_KEK: randomBytes(32).toString('base64'), GONGZHI_INDEX_KEY: randomBytes(32).toString('base64') };
    expect(loadConfig({ PRODUCTION: 'true', JWT_SECRET: 'x'.repeat(32), ...keys }).production).toBe(true);
  });

  it('reports every bad value at once, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ EVENT_STORE: 'mysql', PORT: 'eighty', READ_STORE: 'postgres', JWT_SECRET: 'short', PRODUCTION: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('EVENT_STORE must be one of sqlite, postgres, esdb (got "mysql")');
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain('READ_STORE=postgres needs READ_STORE_URL or DATABASE_URL');
    expect(message).toContain('JWT_SECRET must be at least 32 bytes');
    expect(message).toContain('PRODUCTION must be true or false');
  });

  it('refuses production without a configured JWT key (no generated secret there)', () => {
    expect(() => loadConfig({ PRODUCTION: 'true' })).toThrow(/PRODUCTION=true needs JWT_SECRET/);
  });

  it('uses DATABASE_URL for both postgres stores unless a specific URL is given', () => {
    const c = loadConfig({
      EVENT_STORE: 'postgres',
      READ_STORE: 'postgres',
      DATABASE_URL: 'postgres://u@db/gz',
      READ_STORE_URL: 'postgres://u@replica/gz',
    });
    expect(c.eventStore).toEqual({ kind: 'postgres', url: 'postgres://u@db/gz' });
    expect(c.readStore).toEqual({ kind: 'postgres', url: 'postgres://u@replica/gz' });
  });

  it('needs EVENTSTORE_URL for esdb and a public key for RS256', () => {
    expect(() => loadConfig({ EVENT_STORE: 'esdb' })).toThrow(/EVENTSTORE_URL/);
    expect(loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' }).eventStore.kind).toBe('esdb');
    expect(() => loadConfig({ JWT_ALG: 'RS256' })).toThrow(/JWT_PUBLIC_KEY/);
  });
});

describe('privacy key settings', () => {
  const key = () => randomBytes(32).toString('base64');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gongzhi-config-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return '';
  };

  it('needs both keys in production, from the environment or a key file, reported with the other problems', () => {
    const message = problemsOf({ PRODUCTION: 'true', PORT: '-1' });
    expect(message).toContain('PRODUCTION=true needs GONGZHI_KEK or GONGZHI_KEK_FILE');
    expect(message).toContain('PRODUCTION=true needs GONGZHI_INDEX_KEY or GONGZHI_INDEX_KEY_FILE');
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain('PRODUCTION=true needs JWT_SECRET');
  });

  it('accepts production keys given inline or as files of mode 0600, and hands them to the privacy module', () => {
    const kekFile = join(dir, 'kek-ok.key');
    writeFileSync(kekFile, `${key()}\n`, { mode: 0o600 });
    const indexKey = key();
    const c = loadConfig({ PRODUCTION: 'true', JWT_SECRET: 's'.repeat(32), GONGZHI_KEK_FILE: kekFile, GONGZHI_INDEX_KEY: indexKey });
    expect(c.privacyKeyEnv).toMatchObject({ GONGZHI_KEK_FILE: kekFile, GONGZHI_INDEX_KEY: indexKey });
    expect(JSON.stringify(describeConfig(c))).not.toContain(indexKey);
    expect(describeConfig(c).privacyKeys).toEqual({ GONGZHI_KEK: 'from GONGZHI_KEK_FILE', GONGZHI_INDEX_KEY: 'from GONGZHI_INDEX_KEY' });
  });

  it('lets development mode run without keys (they are generated into DATA_DIR/keys)', () => {
    expect(loadConfig({}).privacyKeyEnv).toEqual({
      GONGZHI_KEK: undefined,
      GONGZHI_KEK_FILE: undefined,
      GONGZHI_INDEX_KEY: undefined,
      GONGZHI_INDEX_KEY_FILE: undefined,
    });
  });

  it('reports every bad key setting at once, without quoting any key', () => {
    const readable = join(dir, 'kek-readable.key');
    writeFileSync(readable, `${key()}\n`, { mode: 0o644 });
    chmodSync(readable, 0o644);
    const short = Buffer.alloc(16, 7).toString('base64');
    const message = problemsOf({ GONGZHI_KEK_FILE: readable, GONGZHI_INDEX_KEY: short, EVENT_STORE: 'mysql' });
    expect(message).toMatch(/GONGZHI_KEK_FILE .*kek-readable\.key is accessible to other users \(mode 644\)/);
    expect(message).toContain('GONGZHI_INDEX_KEY must be 32 bytes, base64-encoded');
    expect(message).toContain('EVENT_STORE must be one of');
    expect(message).not.toContain(short);

    const missing = problemsOf({ GONGZHI_KEK_FILE: join(dir, 'nope.key'), GONGZHI_INDEX_KEY: 'not base64 at all!' });
    expect(missing).toMatch(/GONGZHI_KEK_FILE: no such file .*nope\.key/);
    expect(missing).toContain('GONGZHI_INDEX_KEY must be 32 bytes');
  });

  it('refuses the same key for both purposes, and a key given twice', () => {
    const same = key();
    expect(problemsOf({ GONGZHI_KEK: same, GONGZHI_INDEX_KEY: same })).toContain('GONGZHI_INDEX_KEY must differ from GONGZHI_KEK');
    const file = join(dir, 'kek-twice.key');
    writeFileSync(file, `${key()}\n`, { mode: 0o600 });
    expect(problemsOf({ GONGZHI_KEK: key(), GONGZHI_KEK_FILE: file })).toContain('Set GONGZHI_KEK or GONGZHI_KEK_FILE, not both');
  });
});
