import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, GlobalPosition } from '@gongzhi/event-store';
import { ProjectionRunner, sqliteReadStoreOptions } from '@gongzhi/projections';
import { DataSource } from 'typeorm';
import { elapsedMs } from './harness';
import { BENCH_ENTITIES, volunteerHoursProjection, VolunteerHoursRow } from './model';
import { dropSchema, benchName, withPgClient, type StoreKind } from './stores';

/** A read store on a fresh database: a new SQLite file, or a new PostgreSQL schema. */
export async function freshReadStore(kind: StoreKind, pgUrl?: string): Promise<{ ds: DataSource; close(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gz-bench-read-'));
    const ds = new DataSource(sqliteReadStoreOptions(join(dir, 'read.sqlite'), BENCH_ENTITIES));
    await ds.initialize();
    return {
      ds,
      close: async () => {
        await ds.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = pgUrl as string;
  const schema = benchName('bench_read');
  await withPgClient(url, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  const ds = new DataSource({ type: 'postgres', url, schema, entities: BENCH_ENTITIES, extra: { max: 4 } });
  await ds.initialize();
  return {
    ds,
    close: async () => {
      await ds.destroy();
      await dropSchema(url, schema);
    },
  };
}

/**
 * A ProjectionRunner catching up from position 0 to the head on a fresh read store. Returns the
 * elapsed time; checks the read model counted every event exactly once.
 */
export async function catchUp(
  store: EventStore,
  head: GlobalPosition,
  expected: number,
  kind: StoreKind,
  pgUrl: string | undefined,
  onTick?: () => void,
): Promise<number> {
  const read = await freshReadStore(kind, pgUrl);
  let caughtUp!: () => void;
  const done = new Promise<void>((resolve) => (caughtUp = resolve));
  const runner = new ProjectionRunner({
    projection: volunteerHoursProjection(),
    store,
    dataSource: read.ds,
    observer: {
      onBatchApplied: (e) => {
        onTick?.();
        if (e.toPosition >= head) caughtUp();
      },
    },
  });
  try {
    const t = process.hrtime.bigint();
    await runner.start();
    await done;
    const ms = elapsedMs(t);
    await runner.stop();
    const [{ total }] = await read.ds
      .getRepository(VolunteerHoursRow)
      .createQueryBuilder('v')
      .select('SUM(v.entries)', 'total')
      .getRawMany();
    if (Number(total) !== expected) throw new Error(`read model counted ${total} events, expected ${expected}`);
    return ms;
  } finally {
    await runner.stop().catch(() => undefined);
    await read.close();
  }
}

