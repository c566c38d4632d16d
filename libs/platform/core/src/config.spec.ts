import { ConfigError, loadConfig } from './config';

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
  });

  it('takes production mode only from PRODUCTION, never from NODE_ENV', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(false);
    expect(loadConfig({ PRODUCTION: 'true', JWT_SECRET: 'x'.repeat(32) }).production).toBe(true);
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
