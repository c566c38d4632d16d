import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { SqliteEventStore } from '@gongzhi/event-store-sqlite';
import { CommandProcessor, type RequestContext } from '@gongzhi/eventsourcing';
import { randomPrivacyKeys } from '../crypto/key-material';
import { PrivacyMetrics } from '../metrics';
import { Privacy } from '../privacy';
import { postgresStore, sqliteStore, type TestStore } from './stores';
import { declareWorkerCardColumns, WorkerCardRow } from './worker.fixture';

export interface Scenario {
  events: SqliteEventStore;
  eventsFile: string;
  read: TestStore;
  privacy: Privacy;
  metrics: PrivacyMetrics;
  registry: Registry;
  processor: CommandProcessor;
  cleanup(): Promise<void>;
}

export const officerCtx = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  actor: { userId: 'u-officer', roles: ['union-officer'], orgUnitId: 'county-a', orgUnitPath: '/cn/county-a/' },
  correlationId: 'corr-register',
  now: '2024-05-01T08:00:00.000Z',
  ...overrides,
});

export const adminCtx = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  actor: { userId: 'u-admin', roles: ['admin'], orgUnitId: 'root', orgUnitPath: '/' },
  correlationId: 'corr-erase',
  now: '2024-06-01T08:00:00.000Z',
  ...overrides,
});

/** An SQLite event store on a temp file, a read store of the given kind, and the vault over it. */
export const openScenario = async (kind: 'sqlite' | 'postgres'): Promise<Scenario> => {
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-scenario-'));
  const eventsFile = join(dir, 'events.sqlite');
  const events = new SqliteEventStore({ filename: eventsFile });
  const read = kind === 'sqlite' ? await sqliteStore([WorkerCardRow]) : await postgresStore([WorkerCardRow]);
  const registry = new Registry();
  const metrics = new PrivacyMetrics(registry);
  const privacy = new Privacy({ dataSource: read.ds, keys: randomPrivacyKeys(), metrics });
  declareWorkerCardColumns(privacy.columns);
  const processor = new CommandProcessor(events, { transformer: privacy.transformer });
  return {
    events,
    eventsFile,
    read,
    privacy,
    metrics,
    registry,
    processor,
    cleanup: async () => {
      await events.close();
      await read.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
