import { isAbsolute, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { KeyMaterialError, loadPrivacyKeys, PRIVACY_KEY_VARIABLES } from '@gongzhi/privacy';

export type EventStoreKind = 'sqlite' | 'postgres' | 'esdb';
export type ReadStoreKind = 'sqlite' | 'postgres';

export type JwtConfig =
  | { algorithm: 'HS256'; secret?: string }
  | { algorithm: 'RS256'; publicKey: string };

/** Everything the platform and the CLI read from the environment, validated once at start. */
export interface PlatformConfig {
  port: number;
  host: string;
  /** Set explicitly (PRODUCTION=true); never derived from NODE_ENV. */
  production: boolean;
  dataDir: string;
  eventStore: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string } | { kind: 'esdb'; url: string };
  readStore: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** HS256 without a secret means: use (or create) the development secret under dataDir. */
  jwt: JwtConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: string;
  /** Longest a request may take, from its first byte to the response (HTTP 503 TIMEOUT after it). */
  requestTimeoutMs: number;
  /** PostgreSQL statement_timeout of the read store's request-path connections; 0: none. */
  readStoreStatementTimeoutMs: number;
  /** Query-cost units a user, and an IP address, may spend per minute (bursts up to the same); 0: off. */
  rateLimit: { userCostPerMinute: number; ipCostPerMinute: number };
  /**
   * The privacy key variables (GONGZHI_KEK, GONGZHI_KEK_FILE, GONGZHI_INDEX_KEY,
   * GONGZHI_INDEX_KEY_FILE), already checked, handed to PrivacyModule so it reads the same
   * environment this config was loaded from. Secrets: never logged (see describeConfig).
   */
  privacyKeyEnv: Record<string, string | undefined>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The variables the platform reads, with their meaning (printed by `gongzhi config --help` and the README). */
export const CONFIG_VARIABLES: ReadonlyArray<[name: string, meaning: string]> = [
  ['PORT', 'HTTP port (default 4000)'],
  ['HOST', 'Interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)'],
  ['PRODUCTION', 'true|false (default false): introspection, GraphiQL and error details off; JWT_SECRET or JWT_PUBLIC_KEY required'],
  ['DATA_DIR', 'Directory of the embedded SQLite stores and the development JWT secret (default ./data)'],
  ['EVENT_STORE', 'sqlite|postgres|esdb (default sqlite)'],
  ['READ_STORE', 'sqlite|postgres (default sqlite)'],
  ['DATABASE_URL', 'PostgreSQL URL used by both postgres stores unless overridden'],
  ['EVENT_STORE_URL', 'PostgreSQL URL of the event store (EVENT_STORE=postgres)'],
  ['READ_STORE_URL', 'PostgreSQL URL of the read store (READ_STORE=postgres)'],
  ['EVENTSTORE_URL', 'EventStoreDB/KurrentDB connection string (EVENT_STORE=esdb)'],
  ['JWT_ALG', 'HS256|RS256 (default HS256)'],
  ['JWT_SECRET', 'HS256 secret, at least 32 bytes; default: generated into DATA_DIR/jwt-secret (not in production)'],
  ['JWT_PUBLIC_KEY', 'RS256: PEM public key, or the path of a PEM file'],
  ['LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (default info)'],
  ['BODY_LIMIT', 'Largest accepted request body (default 100kb)'],
  ['REQUEST_TIMEOUT_MS', 'Longest a request may take before it is answered 503 TIMEOUT (default 30000)'],
  ['READ_STORE_STATEMENT_TIMEOUT_MS', 'PostgreSQL statement_timeout of read-store queries on the request path (default 10000; 0: none)'],
  ['RATE_LIMIT_USER', 'Query-cost units a user may spend per minute, bursts included (default 60000; 0: off)'],
  ['RATE_LIMIT_IP', 'Query-cost units one IP address may spend per minute, all its users together (default 240000; 0: off)'],
  ...PRIVACY_KEY_VARIABLES,
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SECRET_BYTES = 32;

type Env = Record<string, string | undefined>;

const oneOf = <T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const v = raw.toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === v);
  if (hit) return hit;
  problems.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
  return fallback;
};

const integer = (env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name} must be an integer ${min}–${max} (got ${JSON.stringify(env[name])})`);
    return fallback;
  }
  return n;
};

const postgresUrl = (env: Env, specific: string, problems: string[], why: string): string => {
  const url = env[specific]?.trim() || env.DATABASE_URL?.trim();
  if (!url) {
    problems.push(`${why} needs ${specific} or DATABASE_URL (a postgres://… URL)`);
    return '';
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    problems.push(`${env[specific] ? specific : 'DATABASE_URL'} must be a postgres:// URL`);
  }
  return url;
};

const PRIVACY_KEY_SLOTS = [
  { inline: 'GONGZHI_KEK', file: 'GONGZHI_KEK_FILE', partner: 'GONGZHI_INDEX_KEY' },
  { inline: 'GONGZHI_INDEX_KEY', file: 'GONGZHI_INDEX_KEY_FILE', partner: 'GONGZHI_KEK' },
] as const;

/**
 * The privacy keys are checked here, with everything else, rather than when PrivacyModule first
 * loads them: a bad key then fails the start with the same one message (exit code 2), before any
 * store is opened. The checks themselves are the privacy lib's (base64, 32 bytes, key files not
 * readable by others); loadPrivacyKeys takes a pair, so each key is loaded beside a throw-away
 * partner to report problems with both at once. Outside production a missing key is fine: it is
 * generated into DATA_DIR/keys on first start.
 */
const checkPrivacyKeys = (env: Env, production: boolean, problems: string[]): void => {
  const loaded: Buffer[] = [];
  for (const slot of PRIVACY_KEY_SLOTS) {
    const inline = env[slot.inline]?.trim();
    const file = env[slot.file]?.trim();
    if (inline && file) {
      problems.push(`Set ${slot.inline} or ${slot.file}, not both`);
      continue;
    }
    if (!inline && !file) {
      if (production) problems.push(`PRODUCTION=true needs ${slot.inline} or ${slot.file} (keys are generated into DATA_DIR only outside production)`);
      continue;
    }
    try {
      const keys = loadPrivacyKeys({
        env: { [slot.inline]: inline, [slot.file]: file, [slot.partner]: randomBytes(32).toString('base64') },
      });
      loaded.push(slot.inline === 'GONGZHI_KEK' ? keys.kek : keys.indexKey);
    } catch (e) {
      if (e instanceof KeyMaterialError) problems.push(e.message);
      else problems.push(`${slot.file}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (loaded.length === 2 && loaded[0].equals(loaded[1])) problems.push('GONGZHI_INDEX_KEY must differ from GONGZHI_KEK');
};

/**
 * Parses and validates the environment; every problem is reported at once, so a bad deployment
 * fails at start with one readable message instead of on the first request.
 */
export const loadConfig = (env: Env = process.env, cwd = process.cwd()): PlatformConfig => {
  const problems: string[] = [];

  let port = 4000;
  if (env.PORT !== undefined && env.PORT.trim() !== '') {
    const p = Number(env.PORT);
    if (!Number.isInteger(p) || p < 0 || p > 65535) problems.push(`PORT must be an integer 0–65535 (got ${JSON.stringify(env.PORT)})`);
    else port = p;
  }

  let production = false;
  const prodRaw = env.PRODUCTION?.trim().toLowerCase();
  if (prodRaw !== undefined && prodRaw !== '') {
    if (prodRaw === 'true' || prodRaw === '1') production = true;
    else if (prodRaw === 'false' || prodRaw === '0') production = false;
    else problems.push(`PRODUCTION must be true or false (got ${JSON.stringify(env.PRODUCTION)})`);
  }

  const dataDirRaw = env.DATA_DIR?.trim() || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const esKind = oneOf<EventStoreKind>(env, 'EVENT_STORE', ['sqlite', 'postgres', 'esdb'], 'sqlite', problems);
  let eventStore: PlatformConfig['eventStore'];
  if (esKind === 'postgres') eventStore = { kind: 'postgres', url: postgresUrl(env, 'EVENT_STORE_URL', problems, 'EVENT_STORE=postgres') };
  else if (esKind === 'esdb') {
    const url = env.EVENTSTORE_URL?.trim() || env.EVENT_STORE_URL?.trim();
    if (!url) problems.push('EVENT_STORE=esdb needs EVENTSTORE_URL (e.g. esdb://127.0.0.1:2113?tls=false)');
    else if (!/^(esdb|kurrentdb|kdb|esdb\+discover|kurrentdb\+discover):\/\//.test(url)) {
      problems.push('EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string');
    }
    eventStore = { kind: 'esdb', url: url ?? '' };
  } else eventStore = { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') };

  const rsKind = oneOf<ReadStoreKind>(env, 'READ_STORE', ['sqlite', 'postgres'], 'sqlite', problems);
  const readStore: PlatformConfig['readStore'] =
    rsKind === 'postgres'
      ? { kind: 'postgres', url: postgresUrl(env, 'READ_STORE_URL', problems, 'READ_STORE=postgres') }
      : { kind: 'sqlite', file: resolve(dataDir, 'read.sqlite') };

  const alg = oneOf(env, 'JWT_ALG', ['HS256', 'RS256'] as const, 'HS256', problems);
  let jwt: JwtConfig;
  if (alg === 'RS256') {
    const raw = env.JWT_PUBLIC_KEY?.trim();
    let publicKey = '';
    if (!raw) problems.push('JWT_ALG=RS256 needs JWT_PUBLIC_KEY (a PEM public key or the path of one)');
    else if (raw.includes('-----BEGIN')) publicKey = raw.replace(/\\n/g, '\n');
    else if (!existsSync(raw)) problems.push(`JWT_PUBLIC_KEY: no such file ${JSON.stringify(raw)}`);
    else publicKey = readFileSync(raw, 'utf8');
    if (publicKey && !publicKey.includes('PUBLIC KEY')) problems.push('JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
    jwt = { algorithm: 'RS256', publicKey };
  } else {
    const secret = env.JWT_SECRET;
    if (secret !== undefined && secret !== '' && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      problems.push(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (got ${Buffer.byteLength(secret)})`);
    }
    if (production && !secret) problems.push('PRODUCTION=true needs JWT_SECRET (HS256) or JWT_ALG=RS256 with JWT_PUBLIC_KEY');
    jwt = { algorithm: 'HS256', ...(secret ? { secret } : {}) };
  }

  const logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info', problems);

  const bodyLimit = env.BODY_LIMIT?.trim() || '100kb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) problems.push(`BODY_LIMIT must look like 100kb or 1mb (got ${JSON.stringify(env.BODY_LIMIT)})`);

  const host = env.HOST?.trim() || '127.0.0.1';

  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000, problems);
  const readStoreStatementTimeoutMs = integer(env, 'READ_STORE_STATEMENT_TIMEOUT_MS', 10_000, 0, 600_000, problems);
  const rateLimit = {
    userCostPerMinute: integer(env, 'RATE_LIMIT_USER', 60_000, 0, 1e9, problems),
    ipCostPerMinute: integer(env, 'RATE_LIMIT_IP', 240_000, 0, 1e9, problems),
  };

  const privacyKeyEnv = Object.fromEntries(PRIVACY_KEY_VARIABLES.map(([name]) => [name, env[name]]));
  checkPrivacyKeys(privacyKeyEnv, production, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host,
    production,
    dataDir,
    eventStore,
    readStore,
    jwt,
    logLevel,
    bodyLimit,
    requestTimeoutMs,
    readStoreStatementTimeoutMs,
    rateLimit,
    privacyKeyEnv,
  };
};

/** What the config says, without secrets, for the start-up log line. */
export const describeConfig = (c: PlatformConfig): Record<string, unknown> => ({
  production: c.production,
  dataDir: c.dataDir,
  eventStore: c.eventStore.kind === 'sqlite' ? { kind: 'sqlite', file: c.eventStore.file } : { kind: c.eventStore.kind, url: redactUrl(c.eventStore.url) },
  readStore: c.readStore.kind === 'sqlite' ? { kind: 'sqlite', file: c.readStore.file } : { kind: c.readStore.kind, url: redactUrl(c.readStore.url) },
  jwt: c.jwt.algorithm === 'HS256' ? { algorithm: 'HS256', secret: c.jwt.secret ? 'from JWT_SECRET' : 'development secret in DATA_DIR' } : { algorithm: 'RS256' },
  privacyKeys: Object.fromEntries(
    PRIVACY_KEY_SLOTS.map((s) => [
      s.inline,
      c.privacyKeyEnv[s.inline]?.trim() ? `from ${s.inline}` : c.privacyKeyEnv[s.file]?.trim() ? `from ${s.file}` : 'generated in DATA_DIR/keys',
    ]),
  ),
});

const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable)';
  }
};
